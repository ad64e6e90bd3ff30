import { abortedError, UploadError } from '../errors.js'
import type { Digest, DigestRequest, Hasher } from './hasher.js'
import { MainThreadHasher } from './main-thread-hasher.js'
import type { HashAnswerMessage, HashJobMessage } from './messages.js'

export interface WorkerHasherPoolOptions {
  /** How many workers may hash at once (default: `defaultWorkerCount()`). */
  workers?: number
  /** Told once when Workers cannot run and hashing falls back to the main thread (default: `console.warn`). */
  onWarning?: (message: string, cause?: unknown) => void
  /**
   * The MD5 engine in the workers: 'spark-md5' (default) or 'hash-wasm', opt-in, about 2.5× as
   * fast for a quarter of the CPU (see the README's Performance section).
   */
  md5?: 'spark-md5' | 'hash-wasm'
  /** Starts one hashing worker; a seam for tests and for pages that must load the worker from elsewhere. */
  createWorker?: () => Worker
  /** Idle workers are stopped after this many ms (default 10 000), so finished uploads leave no threads behind. */
  idleTimeout?: number
}

/**
 * Every core on up to 2 cores, else one per spare core; at most 4. On 2 cores, 2 workers hashed
 * md5 about 1.5x faster than 1, also while 4 lanes uploaded; 4 workers gained nothing more.
 */
export function defaultWorkerCount(): number {
  const cores = globalThis.navigator?.hardwareConcurrency || 1
  return Math.min(4, Math.max(1, cores <= 2 ? cores : cores - 1))
}

/** The literal `new Worker(new URL(..., import.meta.url))` form is what Vite, Rollup and webpack detect and emit. */
function startHashWorker(): Worker {
  return new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module' })
}

function startHashWasmWorker(): Worker {
  return new Worker(new URL('./hash-wasm.worker.ts', import.meta.url), { type: 'module' })
}

interface Job {
  message: HashJobMessage
  signal?: AbortSignal
  resolve(digest: Digest): void
  reject(error: unknown): void
}

interface Slot {
  worker: Worker
  job?: Job
  /** A worker that never answered and then fails was never able to start (CSP, no module workers, ...). */
  answered: boolean
}

/**
 * Hashes Blobs in a lazily started pool of module workers that read the Blobs themselves,
 * so the page's thread never holds a part's bytes. Falls back to `MainThreadHasher` where
 * Workers cannot run.
 */
export class WorkerHasherPool implements Hasher {
  readonly #size: number
  readonly #createWorker: () => Worker
  readonly #onWarning: (message: string, cause?: unknown) => void
  readonly #queue: Job[] = []
  readonly #slots = new Set<Slot>()
  #fallback?: MainThreadHasher
  #nextId = 0
  readonly #idleTimeout: number
  #idleTimer: ReturnType<typeof setTimeout> | undefined

  constructor(options: WorkerHasherPoolOptions = {}) {
    this.#size = Math.max(1, Math.floor(options.workers ?? defaultWorkerCount()))
    this.#createWorker = options.createWorker ?? (options.md5 === 'hash-wasm' ? startHashWasmWorker : startHashWorker)
    this.#onWarning = options.onWarning ?? ((message, cause) => console.warn(message, cause))
    this.#idleTimeout = options.idleTimeout ?? 10_000
  }

  /** How many workers are alive right now (0 before the first digest and after a fallback). */
  get liveWorkers(): number {
    return this.#slots.size
  }

  /** Whether hashing has fallen back to the main thread. */
  get usesMainThread(): boolean {
    return this.#fallback !== undefined
  }

  digest(blob: Blob, request: DigestRequest, signal?: AbortSignal): Promise<Digest> {
    if (this.#fallback) return this.#fallback.digest(blob, request, signal)
    return new Promise<Digest>((resolve, reject) => {
      if (signal?.aborted) return reject(abortedError(signal))
      const onAbort = () => this.#abort(job)
      const job: Job = {
        message: { id: ++this.#nextId, blob, request },
        signal,
        resolve: (digest) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(digest)
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort)
          reject(error)
        },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#queue.push(job)
      this.#pump()
    })
  }

  /** Terminates every worker and rejects the jobs not yet done; a later `digest` starts new workers. */
  dispose(): void {
    const error = new UploadError('aborted', 'The hashing pool was disposed.')
    for (const job of this.#queue.splice(0)) job.reject(error)
    for (const slot of this.#slots) {
      slot.worker.terminate()
      slot.job?.reject(error)
    }
    this.#slots.clear()
  }

  #pump(): void {
    clearTimeout(this.#idleTimer)
    while (this.#queue.length > 0) {
      const slot = this.#idleSlot()
      if (!slot) return
      const job = this.#queue.shift()!
      slot.job = job
      slot.worker.postMessage(job.message)
    }
    if ([...this.#slots].every((slot) => !slot.job)) this.#idleTimer = setTimeout(() => this.#retireIdle(), this.#idleTimeout)
  }

  #retireIdle(): void {
    for (const slot of this.#slots) if (!slot.job) this.#retire(slot)
  }

  #idleSlot(): Slot | undefined {
    for (const slot of this.#slots) if (!slot.job) return slot
    if (this.#slots.size >= this.#size || this.#fallback) return undefined
    let worker: Worker
    try {
      worker = this.#createWorker()
    } catch (error) {
      this.#switchToMainThread(error)
      return undefined
    }
    const slot: Slot = { worker, answered: false }
    worker.onmessage = (event: MessageEvent<HashAnswerMessage>) => this.#onAnswer(slot, event.data)
    worker.onerror = (event) => this.#onFailure(slot, event)
    worker.onmessageerror = (event) => this.#onFailure(slot, event)
    this.#slots.add(slot)
    return slot
  }

  #onAnswer(slot: Slot, answer: HashAnswerMessage): void {
    slot.answered = true
    const job = slot.job
    if (!job || job.message.id !== answer.id) return
    slot.job = undefined
    if ('digest' in answer) job.resolve(answer.digest)
    else job.reject(new UploadError('local-io', `Hashing failed: ${answer.error}`))
    this.#pump()
  }

  #onFailure(slot: Slot, event: Event): void {
    if (!slot.answered) return this.#switchToMainThread(event)
    // A worker that worked before and now fails crashed on this job (e.g. out of memory).
    this.#retire(slot)
    slot.job?.reject(new UploadError('local-io', 'The hashing worker crashed.', { cause: event }))
    this.#pump()
  }

  #abort(job: Job): void {
    const queued = this.#queue.indexOf(job)
    if (queued >= 0) this.#queue.splice(queued, 1)
    for (const slot of this.#slots) {
      // Terminating frees the core at once; a replacement starts when the next job needs it.
      if (slot.job === job) this.#retire(slot)
    }
    job.reject(abortedError(job.signal))
    this.#pump()
  }

  #retire(slot: Slot): void {
    slot.worker.terminate()
    this.#slots.delete(slot)
  }

  /** Workers cannot run here: hash everything, including the jobs in flight, on the main thread. */
  #switchToMainThread(cause: unknown): void {
    // Another worker's startup error may already be queued when the first one switches.
    if (this.#fallback) return
    const fallback = (this.#fallback = new MainThreadHasher())
    this.#onWarning('qiniu-upload-manager: Web Workers are unavailable, hashing on the main thread instead.', cause)
    const jobs = [...this.#slots].flatMap((slot) => (slot.job ? [slot.job] : []))
    for (const slot of this.#slots) slot.worker.terminate()
    this.#slots.clear()
    for (const job of [...jobs, ...this.#queue.splice(0)]) {
      fallback.digest(job.message.blob, job.message.request, job.signal).then(job.resolve, job.reject)
    }
  }
}
