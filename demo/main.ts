import { IndexedDbResumableRecorder, UploadManager, createUploadQueue, type QueueItem, type UploadQueue } from '../src/index.js'
import { adoptApiSecret, loadConfig, objectLink, tokenProvider, type DemoConfig } from './backend.js'
import { FileCard, type CardActions } from './file-card.js'
import { acceptFiles, type IncomingFile } from './file-inputs.js'
import { formatBytes } from './format.js'
import { warnBeforeLeaving } from './leave-warning.js'
import { ResumableList } from './resumable-list.js'
import { readSettings, watchSettings, type Settings } from './settings.js'
import { UploadJob, type UploadPlan } from './upload-job.js'

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T

async function main(): Promise<void> {
  adoptApiSecret()
  const config = await loadConfig()
  const manager = new UploadManager({
    uploadToken: tokenProvider,
    bucket: config.bucket,
    upEndpoints: config.upHost ? [config.upHost] : undefined,
    recorder: new IndexedDbResumableRecorder(),
    onWarning: (message, cause) => {
      console.warn(`[qiniu-upload-manager] ${message}`, cause ?? '')
      showHashing(manager)
    },
  })
  const form = byId<HTMLFormElement>('settings')
  const budget = (settings: Settings) => ({ files: settings.filesAtOnce, lanes: settings.filesAtOnce * settings.lanes, lanesPerFile: settings.lanes })
  // The library's queue: kept in IndexedDB, one tab per file (Web Locks), progress for other tabs.
  const queue = createUploadQueue(manager, budget(readSettings(form)))
  const jobs = new Map<QueueItem, { job: UploadJob; card: FileCard }>()
  watchSettings(form, (settings) => {
    queue.setBudget(budget(settings))
    // Parts at once applies to running files too (the queue's lanesPerFile); their cards say the new number.
    for (const { job } of jobs.values()) {
      if (job.item.plan?.concurrency !== undefined || job.item.finished) continue
      job.plan.lanes = settings.lanes
      job.changed()
    }
  })
  const resumables = new ResumableList(byId('resumables'), queue)
  const linkFor = (key: string) => (config.objectLinks ? objectLink(key) : undefined)
  const updateSummary = () => {
    summarize(queue)
    resumables.render()
    showHashing(manager)
  }

  const actions: CardActions = {
    pause: (job) => job.item.pause(),
    resume: (job) => job.item.resume(),
    retry: (job) => job.item.retry(),
    cancel: (job) => void job.item.cancel(),
  }
  const show = (item: QueueItem) => {
    if (jobs.has(item)) return
    const settings = readSettings(form)
    const plan: UploadPlan = {
      version: item.plan?.multiPartsVersion ?? settings.version,
      partSize: item.plan?.partSize ?? settings.partSize,
      lanes: item.plan?.concurrency ?? settings.lanes,
    }
    const job = new UploadJob(item, plan)
    const card = new FileCard(job, actions, linkFor)
    jobs.set(item, { job, card })
    byId('cards').append(card.element)
  }
  queue.on('added', (item) => {
    show(item)
    updateSummary()
  })
  queue.on('state', (item) => {
    jobs.get(item)?.job.changed()
    updateSummary()
  })
  queue.on('progress', (item) => jobs.get(item)?.job.changed())
  queue.on('part', ({ item, partNumber, state }) => jobs.get(item)?.job.part(partNumber, state))
  queue.on('elsewhere', (uploads) => showElsewhere(uploads))

  const addFiles = (incoming: IncomingFile[]) => {
    const settings = readSettings(form)
    for (const { input, path } of incoming) {
      void (async () => {
        const file = 'getFile' in input ? await input.getFile() : input
        const plan = { multiPartsVersion: settings.version, partSize: settings.partSize }
        await queue.add(input, { objectName: keyFor(queue, file, path) }, plan)
      })().catch((error: unknown) => showFatal(error))
    }
  }
  byId('clear-finished').addEventListener('click', () => {
    for (const [item, { card }] of jobs) {
      if (!item.finished) continue
      card.element.remove()
      jobs.delete(item)
    }
    queue.clearFinished()
    updateSummary()
    byId('queue-title').focus() // the button goes away; focus stays in the queue
  })

  // Queued items count too: they start on their own as soon as a slot frees.
  warnBeforeLeaving(() => queue.items.some((item) => item.running || item.state === 'queued'))
  await resumables.load()
  acceptFiles(
    { zone: byId('drop-zone'), picker: byId('picker'), folderButton: byId('pick-folder'), folderPicker: byId('folder-picker') },
    addFiles,
  )
  updateSummary()
  showBackend(config, queue) // last: the badge turning from "Connecting…" tells that the page is ready
}

/** Where the hashing runs, once a digest has been computed or a fallback was taken: a fallback cannot go unnoticed. */
function showHashing(manager: UploadManager): void {
  const mode = manager.hashing
  const line = byId('hashing')
  if (!mode || (!mode.confirmed && !mode.reason)) return
  const where = mode.kind === 'main-thread' ? 'on the main thread' : mode.via === 'inline' ? 'in Web Workers started from the inlined source' : 'in Web Workers'
  line.textContent = `Hashing ${where}${mode.reason ? `: ${mode.reason}` : '.'}`
  line.dataset.kind = mode.kind
  line.hidden = false
}

/**
 * The key an unfinished item of the same file uses (so adding it again resumes it), else the file's
 * name (its path in a folder: `photos/2024/a.jpg`), or `photo (2).jpg` while another unfinished upload
 * in this queue uses that name.
 */
function keyFor(queue: UploadQueue, file: File, path?: string): string {
  const name = path ?? file.name
  const unfinished = queue.items.filter((item) => !item.finished)
  const same = unfinished.find(
    (item) => item.name === file.name && item.size === file.size && item.file.lastModified === file.lastModified && (path === undefined || item.objectName === path),
  )
  if (same?.objectName) return same.objectName
  const taken = new Set(unfinished.map((item) => item.objectName))
  const dot = name.lastIndexOf('.')
  const [stem, ext] = dot > name.lastIndexOf('/') + 1 ? [name.slice(0, dot), name.slice(dot)] : [name, '']
  let key = name
  for (let n = 2; taken.has(key); n++) key = `${stem} (${n})${ext}`
  return key
}

function summarize(queue: UploadQueue): void {
  const items = queue.items
  const count = (...states: string[]) => items.filter((item) => states.includes(item.state)).length
  const parts = [
    [count('checking', 'uploading', 'resuming', 'retrying', 'waiting-for-network', 'stalled', 'restarting'), 'uploading'],
    [count('queued'), 'waiting'],
    [count('paused', 'needs-file', 'needs-permission'), 'paused'],
    [count('busy-elsewhere'), 'in another tab'],
    [count('failed'), 'failed'],
    [count('done'), 'done'],
    [count('cancelled'), 'cancelled'],
  ] as const
  const text = parts.filter(([n]) => n > 0).map(([n, label]) => `${n} ${label}`)
  byId('queue-summary').textContent = text.length > 0 ? text.join(' · ') : 'Nothing queued yet'
  byId<HTMLButtonElement>('clear-finished').hidden = count('done', 'cancelled') === 0
}

function showElsewhere(uploads: Array<{ name: string; size: number; bytes: number }>): void {
  const section = byId('elsewhere')
  section.hidden = uploads.length === 0
  section.querySelector('ul')!.replaceChildren(
    ...uploads.map(({ name, size, bytes }) => {
      const entry = document.createElement('li')
      entry.textContent = `${name} · ${formatBytes(bytes)} of ${formatBytes(size)}`
      return entry
    }),
  )
}

function showBackend(config: DemoConfig, queue: UploadQueue): void {
  const where = config.backend === 'local' ? 'Local Kodo server' : 'Qiniu Kodo'
  byId('backend').textContent = `${where} · bucket ${config.bucket}`
  if (!queue.tabSafe) byId('backend').title = 'This browser has no Web Locks: two tabs may upload the same file at once.'
}

function showFatal(error: unknown): void {
  const banner = byId('fatal')
  banner.textContent = error instanceof Error ? error.message : String(error)
  banner.hidden = false
}

main().catch(showFatal)
