/** Bytes per second over the last few seconds of sent bytes (resumed parts are not sent bytes). */
export class RateMeter {
  readonly #windowMs: number
  readonly #samples: Array<{ at: number; total: number }> = []
  #total = 0

  constructor(windowMs = 5_000) {
    this.#windowMs = windowMs
  }

  add(bytes: number, now: number): void {
    this.#total += bytes
    this.#samples.push({ at: now, total: this.#total })
    while (this.#samples.length > 2 && now - this.#samples[1]!.at > this.#windowMs) this.#samples.shift()
  }

  /** Takes back bytes just counted that were not sent (a part taken from the record). */
  takeBack(bytes: number): void {
    this.#total -= bytes
    const last = this.#samples.at(-1)
    if (last) last.total -= bytes
  }

  /** Undefined until a second of samples exists, so a fresh start never shows a burst. */
  rate(now: number): number | undefined {
    const first = this.#samples[0]
    const last = this.#samples.at(-1)
    if (!first || !last || now - first.at < 1_000) return undefined
    if (now - last.at > this.#windowMs) return 0
    return ((last.total - first.total) * 1000) / (now - first.at)
  }

  reset(): void {
    this.#samples.length = 0
    this.#total = 0
  }
}
