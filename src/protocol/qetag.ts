import { urlSafeBase64 } from '../utils/base64.js'
import { sha1 } from '../utils/sha1.js'
import { BLOCK_SIZE } from './part-limits.js'

/** One block: 0x16 (2^22 = 4 MiB) ++ its SHA-1. */
const SINGLE_BLOCK = 0x16
/** Several blocks: 0x80 | 0x16 ++ SHA-1 of the blocks' SHA-1s. */
const MULTI_BLOCK = 0x96
/** Parts other than 4 MiB: SHA-1 over each part's V1 digest. */
const PART_LAYOUT = 0x9e

function concat(chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

function prefixed(prefix: number, digest: Uint8Array): Uint8Array {
  return concat([Uint8Array.of(prefix), digest])
}

/** The 21-byte V1 qetag of data whose 4 MiB blocks have these SHA-1s (none: empty data). */
async function v1Raw(blocks: Uint8Array[]): Promise<Uint8Array> {
  if (blocks.length > 1) return prefixed(MULTI_BLOCK, await sha1(concat(blocks)))
  return prefixed(SINGLE_BLOCK, blocks[0] ?? (await sha1(new Uint8Array())))
}

/** V1 qetag from the SHA-1 of each 4 MiB block of the whole data (form and V1 uploads); `[]` is empty data. */
export async function qetagFromBlocks(blocks: Uint8Array[]): Promise<string> {
  return urlSafeBase64(await v1Raw(blocks))
}

/** 4 MiB parts (the last at most 4 MiB) give the same bytes as V1 blocks, so V1's rule applies. */
function isBlockLayout(partSizes: number[]): boolean {
  const last = partSizes.length - 1
  return partSizes.every((size, i) => (i < last ? size === BLOCK_SIZE : size <= BLOCK_SIZE))
}

/**
 * The `hash` Kodo answers for a multi-part upload, from each part's 4 MiB block SHA-1s
 * (`parts[i]` belongs to the part of `partSizes[i]` bytes, in upload order).
 */
export async function qetagFromParts(parts: Uint8Array[][], partSizes: number[]): Promise<string> {
  if (isBlockLayout(partSizes)) return qetagFromBlocks(parts.flat())
  const partDigests = await Promise.all(parts.map(async (blocks) => (await v1Raw(blocks)).subarray(1)))
  return urlSafeBase64(prefixed(PART_LAYOUT, await sha1(concat(partDigests))))
}
