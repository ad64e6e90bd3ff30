/**
 * Buffers of one size kept between digests, so hashing part after part allocates nothing: each
 * worker isolate otherwise piles up its garbage ArrayBuffers until its collector runs (tens of MiB).
 */
export class SpareBuffers {
  readonly #spare: ArrayBuffer[] = []

  constructor(
    readonly size: number,
    readonly keep: number,
  ) {}

  take(): ArrayBuffer {
    return this.#spare.pop() ?? new ArrayBuffer(this.size)
  }

  /** A buffer that is no longer used (detached or odd-sized ones are dropped). */
  giveBack(buffer: ArrayBuffer): void {
    if (buffer.byteLength === this.size && this.#spare.length < this.keep) this.#spare.push(buffer)
  }
}
