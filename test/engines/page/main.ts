// The engine-neutral test page: the library built from source, driven through `window.engineTest`.
// Every function takes and returns plain JSON, so Playwright, puppeteer (BiDi) and WebDriver classic
// can all call it the same way (see ../drivers/).
import {
  AlwaysMultiParts,
  UploadManager,
  WorkerHasherPool,
  createUploadQueue,
  indexedDbQueueStore,
  xhrFetch,
  type FetchLike,
  type ObjectParams,
  type UploadError,
  type UploadQueue,
} from '../../../src/index.js'

export interface StartSpec {
  id: string
  kodoUrl: string
  token: string
  key: string
  uploader: 'v2' | 'v1' | 'form'
  /** 'file': the file picked in #file; a number: that many random bytes made in the page. */
  source: 'file' | number
  concurrency?: number
  partSize?: number
  /** The ObjectParams fields besides objectName and signal. */
  params?: Omit<ObjectParams, 'objectName' | 'signal'>
  /** Leave the manager without up hosts (the form test proves ObjectParams.upEndpoints is used). */
  noManagerEndpoints?: boolean
  /** Keep every progress event in `progressLog`. */
  logProgress?: boolean
}

export interface RunSnapshot {
  progressEvents: number
  /** Progress events whose transferredBytes went down. */
  progressBackwards: number
  lastProgress?: { transferredBytes: number; totalBytes?: number }
  /** Progress events that carried an estimate (`estimatedBytes`). */
  estimatedEvents: number
  /** Every progress event as [transferredBytes, estimatedBytes or 0], when the spec asked for it. */
  progressLog?: Array<[number, number]>
  partsDone: number
  partsResumed: number
  maxLiveWorkers: number
  usedMainThread: boolean
  warnings: string[]
  /** Transport attempts that failed (network errors, not HTTP statuses). */
  failedAttempts: number
  sourceSize: number
  /** SHA-256 of bytes made in the page (undefined for the picked file, whose hash the runner knows). */
  sourceSha256?: string
  outcome?: { ok: { key?: string; hash?: string } } | { error: { kind: string; message: string } }
}

interface Run {
  snapshot: RunSnapshot
  controller: AbortController
  settled: Promise<void>
}

const runs = new Map<string, Run>()

function start(spec: StartSpec): void {
  const snapshot: RunSnapshot = {
    progressEvents: 0,
    progressBackwards: 0,
    estimatedEvents: 0,
    progressLog: spec.logProgress ? [] : undefined,
    partsDone: 0,
    partsResumed: 0,
    maxLiveWorkers: 0,
    usedMainThread: false,
    warnings: [],
    failedAttempts: 0,
    sourceSize: 0,
  }
  const controller = new AbortController()
  const hasher = new WorkerHasherPool({ onWarning: (message) => snapshot.warnings.push(message) })
  const countingFetch: FetchLike = (request, options) =>
    xhrFetch(request, options).catch((error: unknown) => {
      snapshot.failedAttempts++
      throw error
    })
  const manager = new UploadManager({
    uploadToken: spec.token,
    upEndpoints: spec.noManagerEndpoints ? undefined : [spec.kodoUrl],
    // Unreachable at once: only ObjectParams.upEndpoints can make an upload without manager endpoints work.
    ucEndpoints: ['http://127.0.0.1:9'],
    hasher,
    fetch: countingFetch,
  })
  const uploader =
    spec.uploader === 'form'
      ? manager.formUploader()
      : manager.autoUploader({ multiPartsVersion: spec.uploader, policy: new AlwaysMultiParts(), concurrency: spec.concurrency, partSize: spec.partSize })
  const watchWorkers = () => {
    snapshot.maxLiveWorkers = Math.max(snapshot.maxLiveWorkers, hasher.liveWorkers)
    snapshot.usedMainThread = hasher.usesMainThread
  }
  uploader.onUploadProgress((progress) => {
    if (snapshot.lastProgress && progress.transferredBytes < snapshot.lastProgress.transferredBytes) snapshot.progressBackwards++
    snapshot.progressEvents++
    if (progress.estimatedBytes !== undefined) snapshot.estimatedEvents++
    snapshot.progressLog?.push([progress.transferredBytes, progress.estimatedBytes ?? 0])
    snapshot.lastProgress = { transferredBytes: progress.transferredBytes, totalBytes: progress.totalBytes }
    watchWorkers()
  })
  if ('onPartUploaded' in uploader) {
    uploader.onPartUploaded((part) => {
      snapshot.partsDone++
      if (part.resumed) snapshot.partsResumed++
      watchWorkers()
    })
  }
  const settled = (async () => {
    try {
      const blob = await sourceBlob(spec.source, snapshot)
      snapshot.sourceSize = blob.size
      const result = (await uploader.upload(blob, { ...spec.params, objectName: spec.key, signal: controller.signal })) as { key?: string; hash?: string }
      snapshot.outcome = { ok: { key: result.key, hash: result.hash } }
    } catch (error) {
      const { kind = 'thrown', message = String(error) } = error as Partial<UploadError>
      snapshot.outcome = { error: { kind, message } }
    } finally {
      watchWorkers()
    }
  })()
  runs.set(spec.id, { snapshot, controller, settled })
}

async function sourceBlob(source: StartSpec['source'], snapshot: RunSnapshot): Promise<Blob> {
  if (source === 'file') return pickedFile()
  const bytes = new Uint8Array(source)
  for (let i = 0; i < source; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536))
  snapshot.sourceSha256 = hex(await crypto.subtle.digest('SHA-256', bytes))
  return new Blob([bytes])
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** The page's queue, kept in IndexedDB `dbName`: a reloaded page opens it again and restores what was unfinished. */
let queue: UploadQueue | undefined
let resumedParts = 0

export interface QueueSpec {
  kodoUrl: string
  token: string
  dbName: string
}

export interface QueueItemView {
  state: string
  keptBytes: number
  error?: string
}

function openQueue(spec: QueueSpec): UploadQueue {
  const manager = new UploadManager({ uploadToken: spec.token, upEndpoints: [spec.kodoUrl], ucEndpoints: ['http://127.0.0.1:9'] })
  queue = createUploadQueue(manager, { files: 1, lanes: 2, uploader: { partSize: 4 << 20 }, store: indexedDbQueueStore({ dbName: spec.dbName }) })
  queue.on('part', ({ state }) => void (state === 'resumed' && resumedParts++))
  return queue
}

function queueItems(): QueueItemView[] {
  return (queue?.items ?? []).map((item) => ({ state: item.state, keptBytes: item.keptBytes, error: item.status.error?.message }))
}

function pickedFile(): File {
  const file = document.querySelector<HTMLInputElement>('#file')!.files?.[0]
  if (!file) throw new Error('no file was picked in #file')
  return file
}

function run(id: string): Run {
  const found = runs.get(id)
  if (!found) throw new Error(`no upload "${id}" in this page (was it reloaded?)`)
  return found
}

Object.assign(window, {
  engineTest: {
    ready: () => true,
    start,
    status: (id: string) => run(id).snapshot,
    /** Resolves with the snapshot once the upload has succeeded or failed. */
    settle: async (id: string) => {
      await run(id).settled
      return run(id).snapshot
    },
    /** Aborts (pauses) the upload and resolves with how long it took to settle, measured in the page. */
    abort: async (id: string) => {
      const { controller, settled, snapshot } = run(id)
      const startedAt = performance.now()
      controller.abort()
      await settled
      return { settleMs: performance.now() - startedAt, snapshot }
    },
    pickedFile: () => {
      const file = document.querySelector<HTMLInputElement>('#file')!.files?.[0]
      return file ? { name: file.name, size: file.size, type: file.type } : null
    },
    /** Opens the queue and adds the picked file to it under `key`. */
    queueAdd: async (spec: QueueSpec & { key: string }) => {
      await openQueue(spec).add(pickedFile(), { objectName: spec.key })
      return queueItems()
    },
    queueItems,
    /** Opens the queue (after a reload) and restores what an earlier page left unfinished. */
    queueRestore: async (spec: QueueSpec) => {
      await openQueue(spec).restore()
      return queueItems()
    },
    /** Gives the first item the picked file again, and resolves once the queue is idle, with the parts found on the server. */
    queueProvideFile: async () => {
      await queue!.items[0]!.provideFile(pickedFile())
      await queue!.idle()
      return { items: queueItems(), resumedParts }
    },
  },
})
