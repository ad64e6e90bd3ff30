import { abortedError } from '../errors.js'

/**
 * How many lanes may send at once. Halved when the server throttles (429, 503, 509, 573), then
 * raised by one after each run of `limit` parts that went through, back up to the maximum.
 */
export class LaneLimiter {
  readonly max: number
  #limit: number
  #active = 0
  #successes = 0
  readonly #waiting: Array<() => void> = []

  constructor(max: number) {
    this.max = max
    this.#limit = max
  }

  get limit(): number {
    return this.#limit
  }

  async acquire(signal: AbortSignal): Promise<void> {
    while (this.#active >= this.#limit) {
      if (signal.aborted) throw abortedError(signal)
      await new Promise<void>((resolve) => {
        this.#waiting.push(resolve)
        signal.addEventListener('abort', () => resolve(), { once: true })
      })
    }
    this.#active++
  }

  release(succeeded: boolean): void {
    this.#active--
    if (succeeded && this.#limit < this.max && ++this.#successes >= this.#limit) {
      this.#successes = 0
      this.#limit++
    }
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
