import { BLOCK_SIZE } from '../protocol/part-limits.js'
import { SpareBuffers } from './spare-buffers.js'

const blocks = new SpareBuffers(BLOCK_SIZE, 2)

/** A SHA-1 of whole buffers (WebCrypto, or a JavaScript fallback). */
export type Sha1 = (bytes: Uint8Array<ArrayBuffer>) => Promise<Uint8Array>

export interface BlockSha1s {
  /**
   * Adds the next bytes. Each block they complete goes to WebCrypto once the previous block's
   * SHA-1 is done, so one copy at most is in flight.
   */
  add(bytes: Uint8Array): Promise<void>
  /** Every block's SHA-1, in order, the last one short. */
  digests(): Promise<Uint8Array[]>
}

/**
 * The SHA-1 of every 4 MiB block of a stream of bytes, for the qetag. WebCrypto hashes whole
 * buffers only, so a block's bytes are gathered into one buffer, reused block after block and
 * digest after digest (WebCrypto copies its input when called), while the previous block is hashed
 * off this thread. WebCrypto measured at least as fast as hash-wasm's incremental SHA-1 in a worker
 * (README, Performance).
 */
export function blockSha1s(sha1: Sha1): BlockSha1s {
  const buffer = new Uint8Array(blocks.take())
  const digests: Uint8Array[] = []
  let filled = 0
  let hashing: Promise<Uint8Array> | undefined
  const settle = async () => {
    if (hashing) digests.push(await hashing)
    hashing = undefined
  }
  const hashBlock = async () => {
    await settle()
    // sha1() has read the buffer when it returns (WebCrypto's copy, or the synchronous fallback).
    hashing = sha1(buffer.subarray(0, filled))
    filled = 0
  }
  return {
    async add(bytes) {
      for (let used = 0; used < bytes.length; ) {
        const take = Math.min(bytes.length - used, BLOCK_SIZE - filled)
        buffer.set(bytes.subarray(used, used + take), filled)
        filled += take
        used += take
        if (filled === BLOCK_SIZE) await hashBlock()
      }
    },
    async digests() {
      if (filled > 0) await hashBlock()
      await settle()
      blocks.giveBack(buffer.buffer)
      return digests
    },
  }
}
