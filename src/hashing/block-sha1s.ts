import { sha1 } from '../utils/sha1.js'

export interface BlockSha1s {
  /**
   * Adds the next read; `endsBlock` when it completes a block (or is the last read). Then hands the
   * block to WebCrypto once the previous block's SHA-1 is done, so one copy at most is in flight.
   */
  add(bytes: ArrayBuffer, endsBlock: boolean): Promise<void>
  /** Every block's SHA-1, in order. */
  digests(): Promise<Uint8Array[]>
}

/**
 * The SHA-1 of every 4 MiB block of a stream of reads, for the qetag. WebCrypto hashes whole
 * buffers only, so the reads of a block are gathered into one buffer, reused block after block
 * (WebCrypto copies its input when called), while the previous block is hashed off this thread.
 * WebCrypto measured at least as fast as hash-wasm's incremental SHA-1 in a worker (README).
 * @param capacity The block size, or less for a source smaller than one block.
 */
export function blockSha1s(capacity: number): BlockSha1s {
  const buffer = new Uint8Array(capacity)
  const digests: Uint8Array[] = []
  let filled = 0
  let hashing: Promise<Uint8Array> | undefined
  const settle = async () => {
    if (hashing) digests.push(await hashing)
    hashing = undefined
  }
  return {
    async add(bytes, endsBlock) {
      buffer.set(new Uint8Array(bytes), filled)
      filled += bytes.byteLength
      if (!endsBlock) return
      await settle()
      // sha1() has read the buffer when it returns (WebCrypto's copy, or the synchronous fallback).
      hashing = sha1(buffer.subarray(0, filled))
      filled = 0
    },
    digests: async () => {
      await settle()
      return digests
    },
  }
}
