/** Speed over the last few seconds, so a stalled lane or a burst does not swing the estimate wildly. */
export class RateMeter {
  readonly #windowMs: number
  #samples: Array<{ at: number; bytes: number }> = []

  constructor(windowMs = 4000) {
    this.#windowMs = windowMs
  }

  /** `bytes` is a running total of bytes actually sent (resumed parts excluded). */
  sample(bytes: number, at = performance.now()): void {
    this.#samples.push({ at, bytes })
    while (this.#samples.length > 2 && at - this.#samples[0]!.at > this.#windowMs) this.#samples.shift()
  }

  /** Bytes per second, or undefined until there is enough to tell. */
  rate(): number | undefined {
    const first = this.#samples[0]
    const last = this.#samples[this.#samples.length - 1]
    if (!first || !last || last.at - first.at < 500) return undefined
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / (last.at - first.at))
  }

  reset(): void {
    this.#samples = []
  }
}
