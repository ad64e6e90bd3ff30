// The benchmark page: the runner drives it through `window.bench` (Playwright's page.evaluate).
import { contenders, type PreparedUpload } from './contenders.js'
import { disposeHashers, hashOnce, setUpHashers } from './hashing.js'
import { longTasksBetween } from './long-tasks.js'

export interface RunRequest {
  contender: string
  kodoUrl: string
  token: string
  key: string
  /** Upload only the first bytes of the file (warm-up runs). */
  bytes?: number
}

export interface RunResult {
  /** Epoch ms (sub-ms) of the upload() call, comparable with the server log's startedAt. */
  calledAt: number
  elapsedMs: number
  longTasks: { count: number; longestMs: number }
  error?: string
}

let prepared: PreparedUpload | undefined
let sent = 0
/** Why the last upload stopped, once it has: '' for success. */
let outcome: string | undefined

function pickedFile(): File {
  const file = document.querySelector<HTMLInputElement>('#file')?.files?.[0]
  if (!file) throw new Error('no file picked')
  return file
}

/** Long-task entries are queued after their task ends; one more task lets them arrive. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0))

async function run(request: RunRequest): Promise<RunResult> {
  const file = request.bytes ? pickedFile().slice(0, request.bytes) : pickedFile()
  sent = 0
  outcome = undefined
  prepared = contenders[request.contender]!({ ...request, file, onBytes: (bytes) => (sent = bytes) })
  const started = performance.now()
  let error: string | undefined
  try {
    await prepared.start()
  } catch (failure) {
    error = failure instanceof Error ? failure.message : JSON.stringify(failure)
  }
  const ended = performance.now()
  outcome = error ?? ''
  await nextTask()
  return { calledAt: performance.timeOrigin + started, elapsedMs: ended - started, longTasks: longTasksBetween(started, ended), error }
}

const bench = {
  run,
  /** Bytes the running upload reports as sent, and how it ended if it has. */
  progress: () => ({ sent, outcome }),
  dispose: () => prepared?.dispose(),
  setUpHashers: (workerCounts: number[]) => setUpHashers(pickedFile(), workerCounts),
  /** MB/s of one hasher over the file's first `bytes`. */
  hashOnce: (name: string, bytes: number) => hashOnce(name, pickedFile().slice(0, bytes)),
  disposeHashers,
}

declare global {
  interface Window {
    bench: typeof bench
  }
}
window.bench = bench
