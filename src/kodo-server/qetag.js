// @ts-check
// Kodo's `hash` (qetag, §8). SHA-1s are taken per 4 MiB block as bytes arrive, so finishing an upload
// only combines stored block digests and never re-reads the object.
import { createHash } from 'node:crypto'
import { urlsafeEncode } from './base64.js'

export const BLOCK_SIZE = 4 << 20

/** @param {Uint8Array} data */
const sha1 = (data) => createHash('sha1').update(data).digest()

/** Incremental SHA-1 of each 4 MiB block of a byte stream. */
export class BlockHasher {
  /** @type {Buffer[]} */
  #done = []
  #current = createHash('sha1')
  #filled = 0

  /** @param {Uint8Array} chunk */
  update(chunk) {
    for (let offset = 0; offset < chunk.length; ) {
      const take = Math.min(BLOCK_SIZE - this.#filled, chunk.length - offset)
      this.#current.update(chunk.subarray(offset, offset + take))
      this.#filled += take
      offset += take
      if (this.#filled === BLOCK_SIZE) {
        this.#done.push(this.#current.digest())
        this.#current = createHash('sha1')
        this.#filled = 0
      }
    }
  }

  /** @returns {Buffer[]} One digest per block so far; a partial last block counts. */
  digests() {
    return this.#filled > 0 ? [...this.#done, this.#current.copy().digest()] : [...this.#done]
  }
}

/**
 * The 21 raw bytes of the V1 qetag, from the block digests.
 * @param {Buffer[]} digests
 */
function v1Raw(digests) {
  if (digests.length > 1) return Buffer.concat([Buffer.of(0x96), sha1(Buffer.concat(digests))])
  return Buffer.concat([Buffer.of(0x16), digests[0] ?? sha1(Buffer.alloc(0))])
}

/**
 * V1 qetag from the SHA-1 of each 4 MiB block (every block but the last must be exactly 4 MiB).
 * @param {Buffer[]} digests
 */
export function qetagFromDigests(digests) {
  return urlsafeEncode(v1Raw(digests))
}

/**
 * Part-layout qetag of a V2 upload: the V1 value when every part but the last is exactly 4 MiB and the
 * last is at most 4 MiB, else 0x9e ++ SHA1(concatenated V1 digests of the parts).
 * @param {{ size: number, digests: Buffer[] }[]} parts
 */
export function partLayoutQetag(parts) {
  const last = parts.length - 1
  if (parts.every((part, i) => (i < last ? part.size === BLOCK_SIZE : part.size <= BLOCK_SIZE))) {
    return qetagFromDigests(parts.flatMap((part) => part.digests))
  }
  const partHashes = parts.map((part) => v1Raw(part.digests).subarray(1))
  return urlsafeEncode(Buffer.concat([Buffer.of(0x9e), sha1(Buffer.concat(partHashes))]))
}

/**
 * @param {Uint8Array} data
 * @returns {Buffer[]}
 */
function digestsOf(data) {
  const hasher = new BlockHasher()
  hasher.update(data)
  return hasher.digests()
}

/**
 * qetag of bytes in memory.
 * @param {Uint8Array | Uint8Array[]} data One buffer: the V1 rule. An array: the V2 parts, part-layout rule.
 * @returns {string}
 */
export function qetag(data) {
  if (!Array.isArray(data)) return qetagFromDigests(digestsOf(data))
  return partLayoutQetag(data.map((part) => ({ size: part.length, digests: digestsOf(part) })))
}
