// The benchmark page: the runner drives it through `window.bench` (Playwright's page.evaluate).
import { contenders, type PreparedUpload } from './contenders.ts'
import { hashBench } from './hashing.ts'
import { longTasksBetween } from './long-tasks.ts'

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
  prepared = contenders[request.contender]!({ ...request, file, onBytes: (bytes) => (sent = bytes) })
  const started = performance.now()
  let error: string | undefined
  try {
    await prepared.start()
  } catch (failure) {
    error = failure instanceof Error ? failure.message : JSON.stringify(failure)
  }
  const ended = performance.now()
  await nextTask()
  return { calledAt: performance.timeOrigin + started, elapsedMs: ended - started, longTasks: longTasksBetween(started, ended), error }
}

const bench = {
  run,
  /** Bytes the running upload reports as sent. */
  sent: () => sent,
  dispose: () => prepared?.dispose(),
  hash: (rounds: number, workerCounts: number[]) => hashBench(pickedFile(), rounds, workerCounts),
}

declare global {
  interface Window {
    bench: typeof bench
  }
}
window.bench = bench
