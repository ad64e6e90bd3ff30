import type { FileHandleLike, FileIdentity } from './file-identity.js'
import { FINAL_STATES, RUNNING_STATES, type ItemProgress, type ItemState, type ItemStatus } from './item-status.js'
import type { ItemPlan, StoredItem, StoredParams } from './queue-store.js'
import { RateMeter } from './rate-meter.js'

/** What an item asks its queue to do. */
export interface ItemControls {
  pause(item: QueueItem): void
  resume(item: QueueItem): void
  cancel(item: QueueItem): Promise<void>
  retry(item: QueueItem): void
  prioritise(item: QueueItem): void
  provideFile(item: QueueItem, file: File): Promise<void>
}

/** One file of an `UploadQueue`: its status, its progress and what can be done with it. */
export class QueueItem {
  readonly id: string
  readonly file: FileIdentity
  readonly params: StoredParams
  readonly plan?: ItemPlan
  readonly handle?: FileHandleLike
  /** The state it was saved in before a reload; undefined for items added in this page. */
  readonly restoredFrom?: ItemState
  status: ItemStatus = { state: 'queued' }
  order: number
  /** The File to read from (undefined after a reload until its handle is readable or the file is added again). */
  blob?: File
  readonly #controls: ItemControls
  readonly #kept = new Map<number, number>()
  readonly #meter = new RateMeter()
  #keptBefore = 0
  #transferred = 0
  /** How many of `#transferred` the uploader estimated. */
  #estimated = 0
  #attemptBytes = 0

  constructor(controls: ItemControls, stored: StoredItem, blob?: File) {
    this.#controls = controls
    this.id = stored.id
    this.file = stored.file
    this.params = stored.params
    this.plan = stored.plan
    this.handle = stored.handle
    this.order = stored.order
    this.blob = blob
    if (!blob) {
      this.restoredFrom = stored.state
      this.#keptBefore = stored.bytesDone
      this.#transferred = stored.bytesDone
    }
  }

  get name(): string {
    return this.file.name
  }

  get size(): number {
    return this.file.size
  }

  get objectName(): string | undefined {
    return this.params.objectName
  }

  get state(): ItemState {
    return this.status.state
  }

  get running(): boolean {
    return RUNNING_STATES.includes(this.state)
  }

  get finished(): boolean {
    return FINAL_STATES.includes(this.state)
  }

  progress(now = Date.now()): ItemProgress {
    const progress: ItemProgress = { transferredBytes: this.#transferred, keptBytes: this.keptBytes, totalBytes: this.size, bytesPerSecond: this.running ? this.#meter.rate(now) : undefined }
    if (this.#estimated > 0 && this.running) progress.estimatedBytes = this.#estimated
    return progress
  }

  get keptBytes(): number {
    let kept = 0
    for (const size of this.#kept.values()) kept += size
    return Math.max(kept, this.#keptBefore)
  }

  /** Pauses; what was sent stays on the server (form uploads of small files start over). */
  pause(): void {
    this.#controls.pause(this)
  }

  /** Pauses when `signal` aborts (at once if it has): the signal given with the file to `queue.add`. */
  pauseOn(signal: AbortSignal | undefined): void {
    if (signal?.aborted) this.pause()
    else signal?.addEventListener('abort', () => this.pause(), { once: true })
  }

  /** Back in the queue at its old place. */
  resume(): void {
    this.#controls.resume(this)
  }

  /** Stops, aborts the upload on the server and forgets it. */
  cancel(): Promise<void> {
    return this.#controls.cancel(this)
  }

  /** After a failure: back in the queue; the parts already sent are kept. */
  retry(): void {
    this.#controls.retry(this)
  }

  /** Moves to the front of the queue. */
  prioritise(): void {
    this.#controls.prioritise(this)
  }

  /** For `needs-file`: the file again, accepted when name, size, mtime and sampled content match. */
  provideFile(file: File): Promise<void> {
    return this.#controls.provideFile(this, file)
  }

  toStored(): StoredItem {
    return { id: this.id, file: this.file, params: this.params, plan: this.plan, handle: this.handle, state: this.state, bytesDone: this.keptBytes, order: this.order }
  }

  // Bookkeeping, called by the queue while the item uploads.

  /** A new attempt: its progress starts at 0 again, what is kept stays. */
  startAttempt(): void {
    this.#attemptBytes = 0
    this.#meter.reset()
  }

  /** Progress of the current attempt (parts taken from the record count at once), `estimated` of it guessed. */
  attemptProgress(bytes: number, now: number, estimated = 0): void {
    if (bytes > this.#attemptBytes) this.#meter.add(bytes - this.#attemptBytes, now)
    this.#attemptBytes = bytes
    if (bytes < this.#transferred) return
    this.#transferred = bytes
    this.#estimated = estimated
  }

  partKept(partNumber: number, size: number, resumed: boolean): void {
    this.#kept.set(partNumber, size)
    if (resumed) this.#meter.takeBack(size)
  }

  /** The server forgot the upload: nothing is kept any more. */
  restartFromZero(): void {
    this.#kept.clear()
    this.#keptBefore = 0
    this.#transferred = 0
    this.#estimated = 0
    this.#attemptBytes = 0
    this.#meter.reset()
  }

  /** Another tab's progress, for an item waiting on it. */
  followElsewhere(bytes: number): void {
    if (bytes <= this.#transferred) return
    this.#transferred = bytes
    this.#estimated = 0
  }

  /** Done: every byte is on the server. */
  complete(): void {
    this.#kept.clear()
    this.#kept.set(0, this.size)
    this.#transferred = this.size
    this.#estimated = 0
  }
}
