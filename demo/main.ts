import { IndexedDbResumableRecorder, UploadManager, type ResumableRecord } from '../src/index.js'
import { adoptApiSecret, loadConfig, objectLink, tokenProvider, type DemoConfig } from './backend.js'
import { FileCard, type CardActions } from './file-card.js'
import { acceptFiles } from './file-inputs.js'
import { UploadQueue } from './queue.js'
import { ResumableList } from './resumable-list.js'
import { readSettings, watchSettings, type Settings } from './settings.js'
import { UploadJob, type JobState, type UploadPlan } from './upload-job.js'

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T

/** Done or cancelled jobs let go of their object key; any other job would share its record with a second upload to that key. */
const FINISHED: ReadonlySet<JobState> = new Set(['done', 'cancelled'])

async function main(): Promise<void> {
  adoptApiSecret()
  const config = await loadConfig()
  // The manager would make this recorder itself; the page keeps it to list what can resume.
  const recorder = new IndexedDbResumableRecorder()
  const manager = new UploadManager({
    uploadToken: tokenProvider,
    bucket: config.bucket,
    upEndpoints: config.upHost ? [config.upHost] : undefined,
    recorder,
    onWarning: (message, cause) => {
      console.warn(`[qiniu-upload-manager] ${message}`, cause ?? '')
      showHashing(manager)
    },
  })
  const form = byId<HTMLFormElement>('settings')
  const queue = new UploadQueue(readSettings(form).filesAtOnce)
  watchSettings(form, (settings) => queue.setLimit(settings.filesAtOnce))
  const resumables = new ResumableList(byId('resumables'), recorder)
  const cards = new Map<UploadJob, FileCard>()
  const linkFor = (key: string) => (config.objectLinks ? objectLink(key) : undefined)
  const updateSummary = () => {
    summarize([...cards.keys()])
    showHashing(manager)
  }

  const actions: CardActions = {
    pause: (job) => job.pause(),
    resume: (job) => queue.add(job),
    retry: (job) => queue.add(job),
    cancel: (job) => {
      queue.remove(job)
      void job.cancel()
    },
  }
  const addFiles = (files: File[]) => {
    const settings = readSettings(form)
    for (const file of files) {
      const takenKeys = new Set([...cards.keys()].filter((job) => !FINISHED.has(job.state)).map((job) => job.plan.objectName))
      const job = new UploadJob(manager, file, planFor(file, resumables.take(file), settings, takenKeys))
      const card = new FileCard(job, actions, linkFor)
      cards.set(job, card)
      byId('cards').append(card.element)
      job.addEventListener('change', updateSummary)
      queue.add(job)
    }
  }
  byId('clear-finished').addEventListener('click', () => {
    for (const [job, card] of cards) {
      if (!FINISHED.has(job.state)) continue
      card.element.remove()
      cards.delete(job)
    }
    updateSummary()
  })

  // Listed before files are taken, so a file added at once still finds its record.
  await resumables.load(config.bucket)
  acceptFiles(byId<HTMLButtonElement>('drop-zone'), byId<HTMLInputElement>('picker'), addFiles)
  updateSummary()
  showBackend(config) // last: the badge turning from "Connecting…" tells that the page is ready
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

/** A file an earlier visit left unfinished goes on as it began: same key, protocol and part size. */
function planFor(file: File, record: ResumableRecord | undefined, settings: Settings, takenKeys: Set<string>): UploadPlan {
  if (record) return { objectName: record.objectName ?? file.name, version: record.version, partSize: record.partSize, lanes: settings.lanes }
  return { objectName: freeKey(file.name, takenKeys), version: settings.version, partSize: settings.partSize, lanes: settings.lanes }
}

/** `photo.jpg`, or `photo (2).jpg` while another upload in this page still uses that key. */
function freeKey(name: string, taken: Set<string>): string {
  const dot = name.lastIndexOf('.')
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, '']
  let key = name
  for (let n = 2; taken.has(key); n++) key = `${stem} (${n})${ext}`
  return key
}

function summarize(jobs: UploadJob[]): void {
  const count = (...states: JobState[]) => jobs.filter((job) => states.includes(job.state)).length
  const parts = [
    [count('uploading', 'cancelling'), 'uploading'],
    [count('queued'), 'waiting'],
    [count('paused'), 'paused'],
    [count('failed'), 'failed'],
    [count('done'), 'done'],
  ] as const
  const text = parts.filter(([n]) => n > 0).map(([n, label]) => `${n} ${label}`)
  byId('queue-summary').textContent = text.length > 0 ? text.join(' · ') : 'Nothing queued yet'
  byId<HTMLButtonElement>('clear-finished').hidden = count('done', 'cancelled') === 0
}

function showBackend(config: DemoConfig): void {
  const where = config.backend === 'local' ? 'Local Kodo server' : 'Qiniu Kodo'
  byId('backend').textContent = `${where} · bucket ${config.bucket}`
}

main().catch((error: unknown) => {
  const banner = byId('fatal')
  banner.textContent = error instanceof Error ? error.message : String(error)
  banner.hidden = false
})
