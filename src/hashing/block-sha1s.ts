import { sha1 } from '../utils/sha1.js'

/**
 * The SHA-1 of every 4 MiB block of a stream of reads, for the qetag. WebCrypto hashes whole
 * buffers only, so the reads of a block are gathered into one buffer, reused block after block
 * (WebCrypto copies its input when called), while the previous block is hashed off this thread.
 * WebCrypto measured at least as fast as hash-wasm's incremental SHA-1 in a worker (README).
 */
export class BlockSha1s {
  readonly #buffer: Uint8Array<ArrayBuffer>
  #filled = 0
  #hashing: Promise<Uint8Array> | undefined
  readonly #digests: Uint8Array[] = []

  /** @param capacity The block size, or less for a source smaller than one block. */
  constructor(capacity: number) {
    this.#buffer = new Uint8Array(capacity)
  }

  /**
   * Adds the next read; `endsBlock` when it completes a block (or is the last read). Then hands the
   * block to WebCrypto once the previous block's SHA-1 is done, so one copy at most is in flight.
   */
  async add(bytes: ArrayBuffer, endsBlock: boolean): Promise<void> {
    this.#buffer.set(new Uint8Array(bytes), this.#filled)
    this.#filled += bytes.byteLength
    if (!endsBlock) return
    await this.#settle()
    // sha1() has read the buffer when it returns (WebCrypto's copy, or the synchronous fallback).
    this.#hashing = sha1(this.#buffer.subarray(0, this.#filled))
    this.#filled = 0
  }

  async #settle(): Promise<void> {
    const hashing = this.#hashing
    this.#hashing = undefined
    if (hashing) this.#digests.push(await hashing)
  }

  /** Every block's SHA-1, in order. */
  async digests(): Promise<Uint8Array[]> {
    await this.#settle()
    return this.#digests
  }
}
