import type { UploadError } from '../errors.js'
import type { CallbackList } from '../http/callbacks.js'

/** How much of one upload has been sent. */
export interface UploadProgress {
  transferredBytes: number
  /** Unknown for streams. */
  totalBytes?: number
}

/**
 * One upload's progress emitter: ticks go out without waiting, and an async listener's rejection is
 * thrown by this upload's next tick, which stops it like a listener that threw.
 */
export function progressEmitter(list: CallbackList<UploadProgress>): (progress: UploadProgress) => void {
  let lateFailure: UploadError | undefined
  return (progress) => {
    if (lateFailure) throw lateFailure
    list.emitSync(progress, (error) => void (lateFailure ??= error))
  }
}


/**
 * Bytes of finished parts plus the bytes in flight of each running part, reported so that progress
 * never goes back: a part counts the most bytes any of its tries has sent, so a try that failed
 * keeps its count and the part's next try adds nothing until it passes it. When the upload starts
 * over from the first byte (reinitialized, another region), the reported figure holds still until
 * the new attempt passes it.
 */
export class ProgressTracker {
  readonly #total: number | undefined
  readonly #emit: (progress: UploadProgress) => void
  /** The most bytes counted for each unfinished part, by part number. */
  readonly #counted = new Map<number, number>()
  #finished = 0
  #lastEmitted = -1

  constructor(total: number | undefined, emit: (progress: UploadProgress) => void) {
    this.#total = total
    this.#emit = emit
  }

  get finishedBytes(): number {
    return this.#finished
  }

  update(partNumber: number, sentBytes: number): void {
    if (sentBytes <= (this.#counted.get(partNumber) ?? 0)) return
    this.#counted.set(partNumber, sentBytes)
    this.#report()
  }

  complete(partNumber: number, size: number): void {
    this.#counted.delete(partNumber)
    this.#finished += size
    this.#report()
  }

  /** A finished part turned out to need sending again: its bytes stay counted until its new try passes them. */
  revoke(partNumber: number, size: number): void {
    this.#finished -= size
    this.#counted.set(partNumber, size)
  }

  /** The upload starts over from the first byte. */
  reset(): void {
    this.#counted.clear()
    this.#finished = 0
  }

  #report(): void {
    let transferred = this.#finished
    for (const bytes of this.#counted.values()) transferred += bytes
    if (this.#total !== undefined) transferred = Math.min(transferred, this.#total)
    if (transferred <= this.#lastEmitted) return
    this.#lastEmitted = transferred
    this.#emit({ transferredBytes: transferred, totalBytes: this.#total })
  }
}
