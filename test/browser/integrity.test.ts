// Issue 11, the upload/scheduling layer: never a wrong object, never a second commit, never a hang.
import { afterEach, describe, expect, inject, it } from 'vitest'
import {
  AlwaysMultiParts,
  AlwaysSinglePart,
  BlobDataSource,
  FixedDataPartitionProvider,
  MemoryResumableRecorder,
  UploadManager,
  xhrFetch,
  type FetchLike,
  type Hasher,
  type ResumableRecord,
  type ResumableRecorder,
  type UploadManagerOptions,
} from '../../src/index.js'
import { addFaults, admin, clearFaults, clearLog, encodeKey, kodo, localManager, md5Of, randomBlob, rejection, requestLog, storedObject, token, uniqueKey } from './helpers.js'
import { contextOf } from '../../src/manager/upload-manager.js'

const MiB = 1 << 20
const kodo2 = inject('kodo2')
// No retries and short back-offs, so a failure shows at once; the stall timeout stays long enough for a busy machine.
const FAST: Partial<UploadManagerOptions> = { retriesPerHost: 0, stallTimeout: 10_000, backoffBase: 10 }

async function apis(): Promise<string[]> {
  return (await requestLog()).map((entry) => entry.api)
}

async function onlyRecord(recorder: ResumableRecorder): Promise<[string, ResumableRecord]> {
  const entries = await recorder.entries()
  expect(entries).toHaveLength(1)
  return entries[0]!
}

async function storedOn(server: typeof kodo, key: string): Promise<{ md5: string } | undefined> {
  const response = await admin(`/_admin/objects/${server.bucket}/${btoa(key).replace(/\+/g, '-').replace(/\//g, '_')}`, undefined, server)
  return response.ok ? response.json() : undefined
}

async function setExtraRegions(extraRegions: string[][]): Promise<void> {
  await admin('/_admin/regions', { method: 'POST', body: JSON.stringify({ extraRegions }) })
}

/** A manager that finds its regions through the local server's region query (kodo first, then kodo2 once listed). */
async function queryingManager(options: Partial<UploadManagerOptions> = {}): Promise<UploadManager> {
  return new UploadManager({ uploadToken: await token(), ucEndpoints: [kodo.url], useHttps: false, recorder: new MemoryResumableRecorder(), ...FAST, ...options })
}

afterEach(async () => {
  await clearFaults()
  await clearFaults(kodo2)
  await clearLog()
  await setExtraRegions([])
})

describe('1. V2 resume reuses a listed part only when the local bytes prove it', () => {
  it('growing part sizes, a record that missed parts, no object hash: the stored object is the file', async () => {
    const recorder = new MemoryResumableRecorder()
    const file = new File([randomBlob(6 * MiB)], 'grow.bin', { lastModified: 3 })
    const key = uniqueKey('grow')
    let size = MiB
    const growing = { partSize: () => size, feedback: () => {} }
    const pause = new AbortController()
    let done = 0
    const first = (await localManager({ recorder }))
      .autoUploader({ policy: new AlwaysMultiParts(), concurrency: 1, partSize: growing, checkObjectHash: false })
      .onPartUploaded(() => {
        done++
        if (done === 1) size = 2 * MiB // part 3 is 2 MiB: parts 4 and 5 sit 1 MiB further than a uniform layout says
        if (done === 2) size = MiB
        if (done === 5) pause.abort()
      })
    expect((await rejection(first.upload(file, { objectName: key, signal: pause.signal }))).kind).toBe('aborted')
    // The page died before the record write of parts 3 to 5.
    const [sourceKey, record] = await onlyRecord(recorder)
    await recorder.set(sourceKey, { ...record, parts: record.parts.filter((part) => part.partNumber <= 2) })
    await clearLog()
    const parts: Array<{ partNumber: number; resumed: boolean }> = []
    const resumed = (await localManager({ recorder }))
      .autoUploader({ policy: new AlwaysMultiParts(), concurrency: 1, partSize: MiB, checkObjectHash: false })
      .onPartUploaded((part) => void parts.push(part))
    await resumed.upload(file, { objectName: key })
    expect((await storedObject(key)).md5).toBe(await md5Of(file))
    // Parts 1 and 2 from the record; parts 3 to 5 from the server's list, each cut to its listed size and proven by its bytes.
    expect(parts.map((part) => [part.partNumber, part.resumed])).toEqual([1, 2, 3, 4, 5].map((n) => [n, true]))
    expect((await apis()).filter((api) => api === 'part')).toEqual([])
  })

  it('a listed part whose bytes differ from the local slice is sent again, never reused', async () => {
    const recorder = new MemoryResumableRecorder()
    // The source key samples 64 KiB at the start, the middle (3.5 MiB) and the end: the edit (parts 5
    // and 6) lies between them, so the record is found.
    const head = randomBlob(4 * MiB)
    const tail = randomBlob(MiB)
    const original = new File([head, randomBlob(2 * MiB), tail], 'differs.bin', { lastModified: 4 })
    const changed = new File([head, randomBlob(2 * MiB), tail], 'differs.bin', { lastModified: 4 })
    const key = uniqueKey('differs')
    const pause = new AbortController()
    let done = 0
    const first = (await localManager({ recorder }))
      .autoUploader({ policy: new AlwaysMultiParts(), concurrency: 1, partSize: MiB, checkObjectHash: false })
      .onPartUploaded(() => void (++done === 6 && pause.abort()))
    await rejection(first.upload(original, { objectName: key, signal: pause.signal }))
    const [sourceKey, record] = await onlyRecord(recorder)
    await recorder.set(sourceKey, { ...record, parts: record.parts.filter((part) => part.partNumber === 1) })
    await clearLog()
    const uploader = (await localManager({ recorder })).autoUploader({ policy: new AlwaysMultiParts(), concurrency: 1, partSize: MiB, checkObjectHash: false })
    await uploader.upload(changed, { objectName: key })
    expect((await storedObject(key)).md5).toBe(await md5Of(changed))
    const sent = (await requestLog()).filter((entry) => entry.api === 'part' && entry.status === 200).map((entry) => entry.partNumber)
    expect(sent.sort()).toEqual([5, 6, 7]) // 2-4 proven by their bytes, 5-6 listed but changed, 7 never sent
  })
})

describe('2. the final call is never sent blindly twice', () => {
  it('V2: a complete answered by an unreadable 200 that did not take effect is settled by listParts and one more complete', async () => {
    // A proxy's 200 page: the request never reached Kodo, and its answer says nothing.
    await addFaults({ api: 'complete', nth: 1, action: 'non-json', status: 200 })
    const blob = randomBlob(3 * MiB)
    const key = uniqueKey('lost-before')
    await (await localManager(FAST)).autoUploader({ policy: new AlwaysMultiParts(), partSize: MiB }).upload(blob, { objectName: key })
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
    const log = await apis()
    expect(log.filter((api) => api === 'complete')).toHaveLength(2)
    expect(log.filter((api) => api === 'list')).toHaveLength(1)
  })

  for (const version of ['v2', 'v1'] as const) {
    const final = version === 'v2' ? 'complete' : 'mkfile'
    it(`${version}: a lost ${final} answer after it took effect ends maybe-committed (key, hash), keeps the record, and is never sent again`, async () => {
      const recorder = new MemoryResumableRecorder()
      const file = new File([randomBlob(5 * MiB)], 'committed.bin', { lastModified: 5 })
      const key = uniqueKey(`committed-${version}`)
      const uploader = (await localManager({ ...FAST, recorder })).autoUploader({ policy: new AlwaysMultiParts(), multiPartsVersion: version, partSize: MiB })
      await addFaults({ api: final, nth: 1, action: 'drop-answer' })
      const error = await rejection(uploader.upload(file, { objectName: key }))
      const stored = await storedObject(key)
      expect(stored.md5).toBe(await md5Of(file))
      expect(error).toMatchObject({ kind: 'maybe-committed', key, hash: stored.hash })
      const [, record] = await onlyRecord(recorder)
      expect(record.committing).toEqual({ hash: stored.hash })

      // Uploading again asks (V2) or knows it cannot ask (V1): it neither re-uploads nor commits again.
      await clearLog()
      expect(await rejection(uploader.upload(file, { objectName: key }))).toMatchObject({ kind: 'maybe-committed', key, hash: stored.hash })
      expect((await apis()).filter((api) => api !== 'list')).toEqual([])
      // The app decides: cancel forgets the record.
      await uploader.cancel(file, { objectName: key })
      expect(await recorder.entries()).toEqual([])
    })
  }

  it('V1: a mkfile whose connection dropped after it took effect, sent again and answered 701, ends maybe-committed, never a second upload', async () => {
    const recorder = new MemoryResumableRecorder()
    const file = new File([randomBlob(5 * MiB)], 'consumed.bin', { lastModified: 6 })
    const key = uniqueKey('consumed-v1')
    // The client sends the mkfile again after the reset: its ctxs are consumed by then (701, "invalid ctx").
    const uploader = (await localManager({ recorder, backoffBase: 10 })).autoUploader({ policy: new AlwaysMultiParts(), multiPartsVersion: 'v1' })
    await addFaults({ api: 'mkfile', nth: 1, action: 'reset', when: 'after-handler' })
    const error = await rejection(uploader.upload(file, { objectName: key }))
    const stored = await storedObject(key)
    expect(stored.md5).toBe(await md5Of(file))
    expect(error).toMatchObject({ kind: 'maybe-committed', api: 'mkfile', key, hash: stored.hash })
    expect((await apis()).filter((api) => api === 'mkfile').length).toBeGreaterThanOrEqual(1)
    const [, record] = await onlyRecord(recorder)
    expect(record.committing).toEqual({ hash: stored.hash })
    await clearLog()
    expect(await rejection(uploader.upload(file, { objectName: key }))).toMatchObject({ kind: 'maybe-committed' })
    expect(await apis()).toEqual([])
  })

  it('a form upload whose token has a callbackUrl is not sent again after a lost answer', async () => {
    const manager = await localManager({ ...FAST, uploadToken: await token({ callbackUrl: 'http://app.invalid/callback', callbackBody: 'key=$(key)' }) })
    const key = uniqueKey('form-callback')
    await addFaults({ api: 'form', nth: 1, action: 'drop-answer' })
    const error = await rejection(manager.autoUploader({ policy: new AlwaysSinglePart() }).upload(randomBlob(1000), { objectName: key }))
    expect(error).toMatchObject({ kind: 'maybe-committed', key })
    expect(error.hash).toBe((await storedObject(key)).hash)
    expect((await apis()).filter((api) => api === 'form')).toHaveLength(1)
  })
})

describe('3. a record whose hosts are gone', () => {
  async function pausedWithDeadHosts(recorder: ResumableRecorder, file: File, key: string): Promise<void> {
    const pause = new AbortController()
    const uploader = (await localManager({ ...FAST, recorder })).autoUploader({ policy: new AlwaysMultiParts(), concurrency: 1, partSize: MiB }).onPartUploaded(() => pause.abort())
    await rejection(uploader.upload(file, { objectName: key, signal: pause.signal }))
    const [sourceKey, record] = await onlyRecord(recorder)
    await recorder.set(sourceKey, { ...record, upEndpoints: ['http://127.0.0.1:9'] })
  }

  it('upload() starts afresh in the current region; cancel() forgets such a record', async () => {
    const recorder = new MemoryResumableRecorder()
    const file = new File([randomBlob(3 * MiB)], 'dead-host.bin', { lastModified: 6 })
    const key = uniqueKey('dead-host')
    await pausedWithDeadHosts(recorder, file, key)
    const manager = await localManager({ ...FAST, recorder })
    await manager.autoUploader({ policy: new AlwaysMultiParts(), partSize: MiB }).upload(file, { objectName: key })
    expect((await storedObject(key)).md5).toBe(await md5Of(file))
    expect(await recorder.entries()).toEqual([])

    await pausedWithDeadHosts(recorder, file, uniqueKey('dead-host-cancel'))
    const [, record] = await onlyRecord(recorder)
    await manager.autoUploader({ policy: new AlwaysMultiParts(), partSize: MiB }).cancel(file, { objectName: record.objectName! })
    expect(await recorder.entries()).toEqual([])
  })
})

describe('5. provider answers and the part layout are checked', () => {
  it('a concurrency provider answering NaN, or a part size outside V2 limits, is invalid-input before any request', async () => {
    const manager = await localManager(FAST)
    await clearLog()
    const nan = manager.autoUploader({ policy: new AlwaysMultiParts(), multiPartsVersion: 'v1', concurrency: { concurrency: () => Number('x'), feedback: () => {} } })
    expect((await rejection(nan.upload(randomBlob(5 * MiB), { objectName: uniqueKey('nan') }))).kind).toBe('invalid-input')
    const tiny = manager.autoUploader({ policy: new AlwaysMultiParts(), partSize: { partSize: () => 100, feedback: () => {} } })
    expect((await rejection(tiny.upload(randomBlob(3 * MiB), { objectName: uniqueKey('tiny') }))).kind).toBe('invalid-input')
    const fraction = manager.autoUploader({ policy: new AlwaysMultiParts(), partSize: { partSize: () => 1.5 * MiB + 0.5, feedback: () => {} } })
    expect((await rejection(fraction.upload(randomBlob(3 * MiB), { objectName: uniqueKey('fraction') }))).kind).toBe('invalid-input')
    expect(await apis()).toEqual([])
  })

  for (const version of ['v1', 'v2'] as const) {
    it(`${version}: completeParts with parts that do not tile the source fails integrity and sends nothing`, async () => {
      const uploader = (await localManager(FAST)).multiPartsUploader({ version, recorder: new MemoryResumableRecorder() })
      const size = version === 'v1' ? 9 * MiB : 3 * MiB
      const init = await uploader.initializeParts(new BlobDataSource(randomBlob(size)), { objectName: uniqueKey('gap') })
      const partitioner = new FixedDataPartitionProvider(MiB)
      const parts = []
      for (let part: unknown; (part = await uploader.uploadPart(init, partitioner)); ) parts.push(part)
      await clearLog()
      expect((await rejection(uploader.completeParts(init, parts.slice(1) as never))).kind).toBe('integrity')
      expect((await rejection(uploader.completeParts(init, parts.slice(0, -1) as never))).kind).toBe('integrity')
      expect(await apis()).toEqual([])
    })
  }
})

describe('6. checks of resumed parts', () => {
  /** Bytes 0..3 of part 2 carry a marker, so a hasher can tell when part 2 is hashed. */
  function markedFile(): File {
    const second = new Uint8Array(MiB)
    second.set([0xde, 0xad, 0xbe, 0xef])
    return new File([randomBlob(MiB), second, randomBlob(22 * MiB)], 'checked.bin', { lastModified: 7 })
  }

  it('a failing check fails the upload at once; pausing a resumed upload leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (event: PromiseRejectionEvent) => {
      unhandled.push(event.reason)
      event.preventDefault()
    }
    window.addEventListener('unhandledrejection', onUnhandled)
    try {
      const recorder = new MemoryResumableRecorder()
      const file = markedFile()
      const key = uniqueKey('checked')
      const base = await localManager({ ...FAST, recorder })
      let armed = false
      const hasher: Hasher = {
        async digest(blob, request, signal) {
          const head = new Uint8Array(await blob.slice(0, 4).arrayBuffer())
          if (armed && head[0] === 0xde && head[3] === 0xef) throw new Error('injected: the part could not be read again')
          return contextOf(base).hasher.digest(blob, request, signal)
        },
      }
      const options = { policy: new AlwaysMultiParts(), concurrency: 1, partSize: MiB }
      const pause = new AbortController()
      let done = 0
      const first = (await localManager({ ...FAST, recorder, hasher })).autoUploader(options).onPartUploaded(() => void (++done === 3 && pause.abort()))
      await rejection(first.upload(file, { objectName: key, signal: pause.signal }))

      // Pause right after the first resumed part: its check is aborted, and that is not an unhandled rejection.
      const again = new AbortController()
      const paused = (await localManager({ ...FAST, recorder, hasher })).autoUploader(options).onPartUploaded(() => again.abort())
      expect((await rejection(paused.upload(file, { objectName: key, signal: again.signal }))).kind).toBe('aborted')

      armed = true
      await clearLog()
      const failing = (await localManager({ ...FAST, recorder, hasher })).autoUploader(options)
      await expect(failing.upload(file, { objectName: key })).rejects.toThrow(/injected/)
      // 21 parts were left to send: the failed check of part 2 stopped the upload long before.
      expect((await apis()).filter((api) => api === 'part').length).toBeLessThan(10)
      expect((await apis()).filter((api) => api === 'complete')).toEqual([])
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(unhandled).toEqual([])
    } finally {
      window.removeEventListener('unhandledrejection', onUnhandled)
    }
  })
})

describe('7. listParts paging', () => {
  it('stops on a marker that does not move forward', async () => {
    // A server that always answers "more after part 1".
    const stuckMarker: FetchLike = async (request, options) => {
      const response = await xhrFetch(request, options)
      if (request.method !== 'GET' || !/\/uploads\/[^/]+$/.test(new URL(request.url).pathname)) return response
      const body = (await response.json()) as Record<string, unknown>
      return new Response(JSON.stringify({ ...body, partNumberMarker: 1 }), { status: response.status, headers: response.headers })
    }
    const recorder = new MemoryResumableRecorder()
    const file = new File([randomBlob(3 * MiB)], 'paging.bin', { lastModified: 8 })
    const key = uniqueKey('paging')
    const pause = new AbortController()
    const options = { policy: new AlwaysMultiParts(), concurrency: 1, partSize: MiB }
    await rejection((await localManager({ ...FAST, recorder })).autoUploader(options).onPartUploaded(() => pause.abort()).upload(file, { objectName: key, signal: pause.signal }))
    await clearLog()
    await (await localManager({ ...FAST, recorder, fetch: stuckMarker })).autoUploader(options).upload(file, { objectName: key })
    expect((await storedObject(key)).md5).toBe(await md5Of(file))
    expect((await apis()).filter((api) => api === 'list')).toHaveLength(2)
  })
})

describe('8, 13b, 14. region failover', () => {
  for (const [mode, api] of [
    ['form', 'form'],
    ['v2', 'part'],
    ['v1', 'mkblk'],
  ] as const) {
    it(`${mode}: a persistent 503 on ${api} in the first region moves the upload to the next one`, async () => {
      await setExtraRegions([[kodo2.host]])
      await addFaults({ api, nth: 1, times: 100, action: 'status', status: 503 })
      const blob = randomBlob(mode === 'form' ? 100_000 : 5 * MiB)
      const key = uniqueKey(`failover-${mode}`)
      const uploader = (await queryingManager()).autoUploader({
        policy: mode === 'form' ? new AlwaysSinglePart() : new AlwaysMultiParts(),
        multiPartsVersion: mode === 'v1' ? 'v1' : 'v2',
        partSize: MiB,
      })
      expect(await uploader.upload(blob, { objectName: key })).toMatchObject({ key })
      expect((await storedOn(kodo2, key))?.md5).toBe(await md5Of(blob))
    })
  }

  it('a resumed upload that fails does not try its own region again, though the query lists alternative hosts for it', async () => {
    await setExtraRegions([[kodo2.host]])
    // The bucket's own region gets an alternative ("old") host, which the record does not know.
    const withOldHosts: FetchLike = async (request, options) => {
      const response = await xhrFetch(request, options)
      if (!new URL(request.url).pathname.startsWith('/v4/query')) return response
      const body = (await response.json()) as { hosts: Array<{ up: { old: string[] } }> }
      body.hosts[0]!.up.old = ['127.0.0.1:9']
      return new Response(JSON.stringify(body), { status: response.status, headers: response.headers })
    }
    const recorder = new MemoryResumableRecorder()
    const file = new File([randomBlob(4 * MiB)], 'resumed-failover.bin', { lastModified: 9 })
    const key = uniqueKey('resumed-failover')
    const options = { policy: new AlwaysMultiParts(), concurrency: 1, partSize: MiB }
    const pause = new AbortController()
    await rejection(
      (await queryingManager({ recorder, fetch: withOldHosts })).autoUploader(options).onPartUploaded(() => pause.abort()).upload(file, { objectName: key, signal: pause.signal }),
    )
    await clearLog()
    await addFaults({ api: 'part', nth: 1, times: 100, action: 'status', status: 503 })
    await (await queryingManager({ recorder, fetch: withOldHosts })).autoUploader(options).upload(file, { objectName: key })
    expect((await storedOn(kodo2, key))?.md5).toBe(await md5Of(file))
    expect((await apis()).filter((api) => api === 'init')).toEqual([])
  })
})

describe('11. metadata and custom-var names', () => {
  for (const [field, name] of [
    ['metadata', 'a/b'],
    ['customVars', 'x/y'],
    ['metadata', 'ümlaut'],
    ['customVars', 'with space'],
    ['metadata', 'n'.repeat(51)],
  ] as const) {
    it(`${field} name ${JSON.stringify(name.slice(0, 12))} is invalid-input before any request, on every path`, async () => {
      const manager = await localManager(FAST)
      await clearLog()
      for (const policy of [new AlwaysSinglePart(), new AlwaysMultiParts()]) {
        for (const multiPartsVersion of ['v1', 'v2'] as const) {
          const upload = manager.autoUploader({ policy, multiPartsVersion }).upload(randomBlob(2 * MiB), { objectName: uniqueKey('names'), [field]: { [name]: 'v' } })
          expect((await rejection(upload)).kind).toBe('invalid-input')
        }
      }
      expect(await apis()).toEqual([])
    })
  }
})

describe('15. a file that changes on disk while it uploads', () => {
  /** A BlobDataSource whose bytes can be swapped, as Firefox reads a file changed on disk: the new bytes, without an error. */
  function swappableSource(first: Blob): { source: BlobDataSource; swap: (next: Blob) => void } {
    const source = new BlobDataSource(first)
    let current = first
    Object.defineProperty(source, 'blob', { get: () => current })
    return { source, swap: (next) => void (current = next) }
  }

  for (const version of ['v2', 'v1'] as const) {
    it(`${version}: parts read before and after the change never make one object: local-io before the final call, the record kept`, async () => {
      const partSize = version === 'v1' ? 4 * MiB : MiB // V1 blocks are 4 MiB
      const { source, swap } = swappableSource(randomBlob(6 * partSize))
      const recorder = new MemoryResumableRecorder()
      const key = uniqueKey(`changed-${version}`)
      await clearLog()
      const uploader = (await localManager({ recorder }))
        .autoUploader({ policy: new AlwaysMultiParts(), multiPartsVersion: version, concurrency: 1, partSize })
        // Part 3 was sliced while part 2 went up: the parts from 4 on are read after the change.
        .onPartUploaded((part) => {
          if (part.partNumber === 2) swap(randomBlob(6 * partSize))
        })
      const error = await rejection(uploader.upload(source, { objectName: key }))
      expect(error).toMatchObject({ kind: 'local-io', message: expect.stringMatching(/changed or was removed during its upload/) })
      expect(await apis()).not.toContain(version === 'v2' ? 'complete' : 'mkfile')
      expect((await admin(`/_admin/objects/${kodo.bucket}/${encodeKey(key)}`)).status).toBe(404)
      expect(await recorder.entries()).toHaveLength(1)
    })
  }
})
