/** Bodies smaller than this measure the round trip more than the link. */
const MIN_SAMPLE_BYTES = 256 * 1024
/** How many recent answers the estimate looks at. */
const SAMPLES = 4

/**
 * How fast one client's request bodies reach the server: the size of recent bodies over the time from
 * their first byte to their answer. Lanes share the link, so each sample already counts their share.
 */
export class LinkRate {
  readonly #samples: number[] = []

  /** A body of `bytes` was answered `ms` after it started going out. */
  observe(bytes: number, ms: number): void {
    if (bytes < MIN_SAMPLE_BYTES || ms <= 0) return
    this.#samples.push(bytes / ms)
    if (this.#samples.length > SAMPLES) this.#samples.shift()
  }

  /** Bytes per ms: the slowest of the last few answers (the cautious choice), or undefined before any. */
  get bytesPerMs(): number | undefined {
    return this.#samples.length > 0 ? Math.min(...this.#samples) : undefined
  }
}
