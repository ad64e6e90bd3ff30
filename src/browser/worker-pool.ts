import { abortedError, invalidInput, UploadError } from '../errors.js'
import type { Digest, DigestRequest, Hasher, HashingMode } from '../hashing/hasher.js'
import { MainThreadHasher } from '../hashing/main-thread-hasher.js'
import type { Md5Engine } from '../hashing/md5.js'
import type { HashAnswerMessage, HashJobMessage } from './messages.js'
import { consoleWarning, type WarningCallback } from '../warnings.js'
import { inlinedWorkerUrl, startWorkerFromFile } from './worker-start.js'

export interface WorkerHasherPoolOptions {
  /** How many workers may hash at once (default: `defaultWorkerCount()`). */
  workers?: number
  /** Told when the pool cannot start workers the way it meant to, and what it does instead (default: `console.warn`). */
  onWarning?: WarningCallback
  /**
   * The MD5 engine in the workers: 'hash-wasm' (default, WebAssembly, about 2.5× spark-md5's speed
   * for a third of its CPU; see the README's Performance section) or 'spark-md5'. Where WebAssembly
   * cannot be compiled (a CSP without 'wasm-unsafe-eval', an old browser) the workers use spark-md5,
   * and the pool says so through `onWarning` and `hashing`.
   */
  md5?: Md5Engine
  /**
   * Where the app serves the worker script (a copy of `qiniu-upload-manager/hash.worker.js`).
   * Default: the file next to the library's module. If it cannot be loaded, the pool still tries
   * the inlined source.
   */
  workerUrl?: string | URL
  /**
   * Starts one hashing worker, for pages that must start it themselves. Replaces `workerUrl` and
   * the inlined fallback: if it fails, hashing goes to the main thread.
   */
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

/** A readable reason from what a failed worker start threw or fired. */
function describeFailure(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`
  if (typeof ErrorEvent !== 'undefined' && cause instanceof ErrorEvent && cause.message) return cause.message
  return 'the worker failed to start (not found, not a script, or refused)'
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
  /** A worker that never answered and then fails was never able to start (404, CSP, no module workers, ...). */
  answered: boolean
}

/**
 * Hashes Blobs in a lazily started pool of module workers that read the Blobs themselves,
 * so the page's thread never holds a part's bytes. Starts the workers from the worker file; if
 * that cannot load, from the library's inlined source (a `blob:` URL); only if that fails too,
 * falls back to `MainThreadHasher`. Each step down is told through `onWarning` and `hashing`.
 */
export class WorkerHasherPool implements Hasher {
  readonly #size: number
  readonly #onWarning: WarningCallback
  readonly #queue: Job[] = []
  readonly #slots = new Set<Slot>()
  /** How to start a worker now; undefined while the inlined source loads and on the main thread. */
  #start: (() => Worker) | undefined
  #mode: HashingMode
  readonly #md5Engine: Md5Engine
  #fallback?: MainThreadHasher
  #nextId = 0
  readonly #idleTimeout: number
  #idleTimer: ReturnType<typeof setTimeout> | undefined

  constructor(options: WorkerHasherPoolOptions = {}) {
    // A fraction (half the cores) is floored and 0 or less is 1; what is not a number would leave the pool without a bound.
    const workers = Math.floor(options.workers ?? defaultWorkerCount())
    if (Number.isNaN(workers)) throw invalidInput('`workers` is a number', options.workers)
    this.#size = Math.max(1, workers)
    const { workerUrl } = options
    this.#start = options.createWorker ?? (workerUrl ? () => new Worker(workerUrl, { type: 'module' }) : startWorkerFromFile)
    this.#md5Engine = options.md5 ?? 'hash-wasm'
    this.#mode = { kind: 'worker', via: options.createWorker ? 'custom' : 'file', confirmed: false }
    this.#onWarning = options.onWarning ?? consoleWarning
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

  /** How this pool hashes now, and why if not the way it meant to. */
  get hashing(): HashingMode {
    return { ...this.#mode }
  }

  digest(blob: Blob, request: DigestRequest, signal?: AbortSignal): Promise<Digest> {
    if (this.#fallback) return this.#fallback.digest(blob, request, signal)
    return new Promise<Digest>((resolve, reject) => {
      if (signal?.aborted) return reject(abortedError(signal))
      const onAbort = () => this.#abort(job)
      const job: Job = {
        message: { id: ++this.#nextId, blob, request, md5Engine: this.#md5Engine },
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
    // A worker takes up to ~100 ms to start, and an upload's next digests come within that: a cold
    // pool starts all its workers with the first job.
    const cold = this.#slots.size === 0 && this.#queue.length > 0
    while (this.#queue.length > 0) {
      const slot = this.#idleSlot()
      if (!slot) return
      const job = this.#queue.shift()!
      slot.job = job
      slot.worker.postMessage(job.message)
    }
    while (cold && this.#slots.size < this.#size && this.#startSlot());
    if ([...this.#slots].every((slot) => !slot.job)) this.#idleTimer = setTimeout(() => this.#retireIdle(), this.#idleTimeout)
  }

  #retireIdle(): void {
    for (const slot of this.#slots) if (!slot.job) this.#retire(slot)
  }

  #idleSlot(): Slot | undefined {
    for (const slot of this.#slots) if (!slot.job) return slot
    return this.#startSlot()
  }

  #startSlot(): Slot | undefined {
    if (this.#slots.size >= this.#size || !this.#start) return undefined
    let worker: Worker
    try {
      worker = this.#start()
    } catch (error) {
      this.#stepDown(error)
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
    if (!this.#slots.has(slot)) return
    slot.answered = true
    this.#mode.confirmed = true
    const job = slot.job
    if (!job || job.message.id !== answer.id) return
    slot.job = undefined
    if ('md5Fallback' in answer && answer.md5Fallback !== undefined) this.#md5FellBack(answer.md5Fallback)
    else if ('digest' in answer && job.message.request.md5 && !this.#mode.md5) this.#mode.md5 = this.#md5Engine
    if ('digest' in answer) job.resolve(answer.digest)
    else job.reject(new UploadError('local-io', `Hashing failed: ${answer.error}`))
    this.#pump()
  }

  #onFailure(slot: Slot, event: Event): void {
    // A worker already terminated by a step down may still deliver its startup error.
    if (!this.#slots.has(slot)) return
    if (!slot.answered) return this.#stepDown(event)
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

  /**
   * Workers cannot start the current way: stop them, take their jobs back, and try the next way:
   * the worker file → the inlined source → the main thread.
   */
  #stepDown(cause: unknown): void {
    const jobs = [...this.#slots].flatMap((slot) => (slot.job ? [slot.job] : []))
    for (const slot of this.#slots) slot.worker.terminate()
    this.#slots.clear()
    this.#queue.unshift(...jobs)
    this.#start = undefined
    if (this.#mode.via !== 'file') return this.#switchToMainThread(cause)
    const reason = `the worker file could not be loaded (${describeFailure(cause)})`
    this.#mode = { kind: 'worker', via: 'inline', reason, confirmed: false }
    this.#onWarning(`Hashing: ${reason}; starting the hashing workers from the library's inlined source (a blob: URL) instead.`, cause)
    inlinedWorkerUrl().then(
      (url) => {
        this.#start = () => new Worker(url, { type: 'module' })
        this.#pump()
      },
      (error: unknown) => this.#switchToMainThread(error),
    )
  }

  /** A worker could not compile hash-wasm's WebAssembly and hashed MD5 by spark-md5: told once. */
  #md5FellBack(why: string): void {
    if (this.#mode.md5 === 'spark-md5') return
    const reason = `no WebAssembly in the workers (${why}): MD5 by spark-md5, slower; allow 'wasm-unsafe-eval' in the CSP`
    this.#mode = { ...this.#mode, md5: 'spark-md5', reason: this.#mode.reason ? `${this.#mode.reason}; ${reason}` : reason }
    this.#onWarning(`Hashing: ${reason}.`)
  }

  /** No worker can run here: hash everything, including the jobs taken back, on the main thread. */
  #switchToMainThread(cause: unknown): void {
    // Another worker's startup error may already be queued when the first one switches.
    if (this.#fallback) return
    const fallback = (this.#fallback = new MainThreadHasher())
    const reason = `${this.#mode.via === 'inline' ? 'neither the worker file nor the inlined source could start a worker' : 'the worker could not start'} (${describeFailure(cause)})`
    this.#mode = { kind: 'main-thread', reason, confirmed: true }
    this.#onWarning(`Hashing: ${reason}; hashing on the main thread instead, which slows the page.`, cause)
    for (const job of this.#queue.splice(0)) {
      fallback.digest(job.message.blob, job.message.request, job.signal).then(job.resolve, job.reject)
    }
  }
}
