import { throwIfAborted, UploadError } from '../errors.js'
import { crc32Update } from '../utils/crc32.js'
import { sha1 } from '../utils/sha1.js'
import { BLOCK_SIZE } from '../protocol/part-limits.js'
import type { Digest, DigestRequest } from './hasher.js'
import { sparkMd5, type Md5Factory } from './md5.js'

export interface ComputeDigestOptions {
  /** Checked between chunks: an aborted signal stops the work with an `aborted` UploadError. */
  signal?: AbortSignal
  /** Awaited after each chunk, e.g. to give the main thread's event loop a turn. */
  betweenChunks?: () => Promise<void>
  /** The MD5 engine (default spark-md5). */
  createMd5?: Md5Factory
}

/**
 * Reads are exactly one qetag block, so each chunk's SHA-1 is a block SHA-1 and only
 * two chunks (the one being hashed and the one being read) are ever in memory.
 */
const CHUNK_SIZE = BLOCK_SIZE

async function readChunk(blob: Blob, start: number): Promise<ArrayBuffer> {
  try {
    return await blob.slice(start, start + CHUNK_SIZE).arrayBuffer()
  } catch (cause) {
    throw new UploadError('local-io', `Could not read bytes ${start}+ of the file; was it changed or removed?`, { cause })
  }
}

/** Starts reading the chunk at `start`, if any; a failure surfaces when the read is awaited. */
function readAhead(blob: Blob, start: number): Promise<ArrayBuffer> | undefined {
  if (start >= blob.size) return undefined
  const read = readChunk(blob, start)
  // Marks the rejection as handled: the loop may stop (abort) before awaiting this read.
  read.catch(() => {})
  return read
}

/** md5 / 4 MiB block SHA-1s / CRC-32 of a Blob, reading chunk i+1 while chunk i is hashed. */
export async function computeDigest(blob: Blob, request: DigestRequest, options: ComputeDigestOptions = {}): Promise<Digest> {
  const md5 = request.md5 ? await (options.createMd5 ?? sparkMd5)() : undefined
  const sha1Blocks: Uint8Array[] = []
  let crc = 0
  let next = readAhead(blob, 0)
  for (let start = 0; next; start += CHUNK_SIZE) {
    throwIfAborted(options.signal)
    const chunk = await next
    next = readAhead(blob, start + CHUNK_SIZE)
    // WebCrypto hashes off this thread, so the SHA-1 overlaps the MD5 and CRC below.
    const sha1Block = request.sha1Blocks ? sha1(chunk) : undefined
    md5?.update(chunk)
    if (request.crc32) crc = crc32Update(crc, new Uint8Array(chunk))
    if (sha1Block) sha1Blocks.push(await sha1Block)
    await options.betweenChunks?.()
  }
  throwIfAborted(options.signal)
  return {
    ...(md5 && { md5: md5.hex() }),
    ...(request.sha1Blocks && { sha1Blocks }),
    ...(request.crc32 && { crc32: crc }),
  }
}
