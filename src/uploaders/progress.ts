import type { UploadProgress } from '../http/callbacks.js'

/**
 * Bytes of finished parts plus the bytes in flight of each running part. A failed part's in-flight
 * bytes are taken back (progress may step back then); a reinitialized upload starts again from 0.
 */
export class ProgressTracker {
  readonly #total: number | undefined
  readonly #emit: (progress: UploadProgress) => void
  readonly #inFlight = new Map<number, number>()
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
    this.#inFlight.set(partNumber, sentBytes)
    this.#report()
  }

  complete(partNumber: number, size: number): void {
    this.#inFlight.delete(partNumber)
    this.#finished += size
    this.#report()
  }

  /** Takes back a finished part that turned out to need sending again. */
  revoke(size: number): void {
    this.#finished -= size
    this.#report()
  }

  fail(partNumber: number): void {
    if (this.#inFlight.delete(partNumber)) this.#report()
  }

  reset(): void {
    this.#inFlight.clear()
    this.#finished = 0
    this.#report()
  }

  #report(): void {
    let transferred = this.#finished
    for (const bytes of this.#inFlight.values()) transferred += bytes
    if (transferred === this.#lastEmitted) return
    this.#lastEmitted = transferred
    this.#emit({ transferredBytes: transferred, totalBytes: this.#total })
  }
}
