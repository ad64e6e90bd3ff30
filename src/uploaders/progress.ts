import type { UploadError } from '../errors.js'
import type { CallbackList } from '../http/callbacks.js'
import type { BodyProgress } from '../http/client.js'
import { ceiling, ProgressEstimate } from './progress-estimate.js'

/** How much of one upload has been sent. */
export interface UploadProgress {
  transferredBytes: number
  /** Unknown for streams. */
  totalBytes?: number
  /**
   * How many of `transferredBytes` are an estimate; absent when the transport reported them all.
   * Firefox (and Chromium) report a body's progress in large steps: a 4 MiB part in one step on a
   * fast link, seconds apart on a slow one. A request that reported nothing for a quarter of a second
   * is assumed to go on at the pace recent answers measured, up to 90 % of its part: the figure keeps
   * moving, never goes back, and passes 90 % of a part only with the server's answer (a transport's own
   * reports stop there too: they count bytes handed to the socket, whose buffers may hold the whole
   * part on a fast machine and a slow link). Real reports take over as they arrive; a transport that reports as it goes (WebKit: every 8 KiB) gets no estimates.
   */
  estimatedBytes?: number
}

export interface ProgressTrackerOptions {
  /** The link's measured pace in bytes per ms (undefined until known): without it, no estimates. */
  pace?: () => number | undefined
  /** The clock for estimates, in ms. */
  now?: () => number
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
 * the new attempt passes it. A running part whose transport stays quiet counts an estimate instead
 * (see `UploadProgress.estimatedBytes`), raised by a timer that runs only while an estimate can rise.
 */
export class ProgressTracker {
  readonly #total: number | undefined
  readonly #emit: (progress: UploadProgress) => void
  readonly #pace: () => number | undefined
  readonly #now: () => number
  /** The most bytes counted for each unfinished part, by part number. */
  readonly #counted = new Map<number, number>()
  readonly #estimate = new ProgressEstimate()
  #timer: ReturnType<typeof setTimeout> | undefined
  /** A listener failed during a timer's tick: thrown by the next report, which stops the upload. */
  #failure: unknown
  #finished = 0
  #lastEmitted = -1

  constructor(total: number | undefined, emit: (progress: UploadProgress) => void, options: ProgressTrackerOptions = {}) {
    this.#total = total
    this.#emit = emit
    this.#pace = options.pace ?? (() => undefined)
    this.#now = options.now ?? (() => performance.now())
  }

  /** What the HTTP client tells about one part's requests (a form's body counts as its file's bytes). */
  body(partNumber: number, size: number): BodyProgress {
    return {
      sending: (running) => {
        if (running) this.#estimate.start(partNumber, size, this.#now())
        else this.#estimate.stop(partNumber)
        this.#schedule()
      },
      sent: (bytes) => {
        this.#estimate.report(partNumber, bytes, this.#now())
        this.#update(partNumber, Math.min(bytes, ceiling(size)))
        this.#schedule()
      },
    }
  }

  get finishedBytes(): number {
    return this.#finished
  }

  #update(partNumber: number, sentBytes: number): void {
    if (sentBytes <= (this.#counted.get(partNumber) ?? 0)) return
    this.#counted.set(partNumber, sentBytes)
    this.#report()
  }

  complete(partNumber: number, size: number): void {
    this.#counted.delete(partNumber)
    this.#estimate.forget(partNumber)
    this.#finished += size
    this.#report()
  }

  /** A finished part turned out to need sending again: its bytes stay counted until its new try passes them. */
  revoke(partNumber: number, size: number): void {
    this.#finished -= size
    this.#counted.set(partNumber, size)
    this.#estimate.forget(partNumber)
  }

  /** The upload starts over from the first byte. */
  reset(): void {
    this.#counted.clear()
    this.#estimate.forgetAll()
    this.#finished = 0
  }

  #report(): void {
    if (this.#failure !== undefined) throw this.#failure
    let transferred = this.#finished
    let estimated = 0
    for (const [part, bytes] of this.#counted) transferred += Math.max(bytes, this.#estimate.estimates.get(part) ?? 0)
    for (const [part, bytes] of this.#estimate.estimates) {
      const counted = this.#counted.get(part) ?? 0
      if (!this.#counted.has(part)) transferred += bytes
      estimated += Math.max(bytes - counted, 0)
    }
    if (this.#total !== undefined) transferred = Math.min(transferred, this.#total)
    if (transferred <= this.#lastEmitted) return
    this.#lastEmitted = transferred
    const progress: UploadProgress = { transferredBytes: transferred, totalBytes: this.#total }
    if (estimated > 0) progress.estimatedBytes = Math.min(estimated, transferred)
    this.#emit(progress)
  }

  /** Arms the estimate timer while an estimate can rise, and clears it when none can. */
  #schedule(): void {
    const wait = this.#failure === undefined ? this.#estimate.nextTick(this.#now(), this.#pace()) : undefined
    if (wait === undefined) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#tick(), wait)
    }
  }

  #tick(): void {
    this.#timer = undefined
    try {
      if (this.#estimate.advance(this.#now(), this.#pace())) this.#report()
    } catch (error) {
      this.#failure = error
    }
    this.#schedule()
  }
}
