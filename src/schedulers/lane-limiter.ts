import { abortedError } from '../errors.js'

/**
 * How many lanes may send at once. Halved when the server throttles (429, 503, 509, 573), then
 * raised by one after each run of `limit` parts that went through, back up to the maximum, which a
 * lane tuner may move.
 */
export class LaneLimiter {
  #max: number
  #limit: number
  #active = 0
  #successes = 0
  readonly #waiting: Array<() => void> = []

  constructor(max: number) {
    this.#max = max
    this.#limit = max
  }

  get max(): number {
    return this.#max
  }

  get limit(): number {
    return this.#limit
  }

  async acquire(signal: AbortSignal): Promise<void> {
    while (this.#active >= this.#limit) {
      if (signal.aborted) throw abortedError(signal)
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve()
        // Lanes wait again and again for room (a tuner's extra lanes all upload long): no listener may pile up.
        this.#waiting.push(() => {
          signal.removeEventListener('abort', onAbort)
          resolve()
        })
        signal.addEventListener('abort', onAbort, { once: true })
      })
    }
    this.#active++
  }

  release(succeeded: boolean): void {
    this.#active--
    if (succeeded && this.#limit < this.#max && ++this.#successes >= this.#limit) {
      this.#successes = 0
      this.#limit++
    }
    this.#wake()
  }

  /** A new maximum; a limit that was at the old one moves with it (a throttled one only comes down to it). */
  resize(max: number): void {
    if (max === this.#max) return
    this.#limit = this.#limit === this.#max ? max : Math.min(this.#limit, max)
    this.#max = max
    this.#wake()
  }

  /** The server asked us to slow down. Returns the new limit. */
  throttle(): number {
    this.#limit = Math.max(1, Math.floor(this.#limit / 2))
    this.#successes = 0
    return this.#limit
  }

  #wake(): void {
    for (const resolve of this.#waiting.splice(0)) resolve()
  }
}
