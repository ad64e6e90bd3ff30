import { throwIfAborted, UploadError } from '../errors.js'
import { crc32Update } from '../utils/crc32.js'
import { BLOCK_SIZE, MiB } from '../utils/sizes.js'
import { blockSha1s } from './block-sha1s.js'
import type { Digest, DigestRequest } from './hasher.js'
import { sparkMd5, type Md5Factory } from './md5.js'

export interface ComputeDigestOptions {
  /** Checked between reads: an aborted signal stops the work with an `aborted` UploadError. */
  signal?: AbortSignal
  /** Awaited after each read, e.g. to give the main thread's event loop a turn. */
  betweenChunks?: () => Promise<void>
  /** The MD5 engine (default spark-md5). */
  createMd5?: Md5Factory
}

/**
 * Reads are 1 MiB, a quarter of a qetag block: each read is garbage once hashed, and 4 MiB reads
 * left the renderer 100+ MiB larger during an upload before the collector caught up.
 */
const READ_SIZE = MiB
/** The block SHA-1s gather whole blocks from the reads. */
const READS_PER_BLOCK = BLOCK_SIZE / READ_SIZE

async function read(blob: Blob, start: number): Promise<ArrayBuffer> {
  try {
    return await blob.slice(start, start + READ_SIZE).arrayBuffer()
  } catch (cause) {
    throw new UploadError('local-io', `Could not read bytes ${start}+ of the file; was it changed or removed?`, { cause })
  }
}

/** Starts the read at `start`, if any; a failure surfaces when the read is awaited. */
function readAhead(blob: Blob, start: number): Promise<ArrayBuffer> | undefined {
  if (start >= blob.size) return undefined
  const reading = read(blob, start)
  // Marks the rejection as handled: the loop may stop (abort) before awaiting this read.
  reading.catch(() => {})
  return reading
}

/** md5 / 4 MiB block SHA-1s / CRC-32 of a Blob, reading the next 1 MiB while this one is hashed. */
export async function computeDigest(blob: Blob, request: DigestRequest, options: ComputeDigestOptions = {}): Promise<Digest> {
  const md5 = request.md5 ? await (options.createMd5 ?? sparkMd5)() : undefined
  const blocks = request.sha1Blocks ? blockSha1s(Math.min(blob.size, BLOCK_SIZE)) : undefined
  let crc = 0
  let next = readAhead(blob, 0)
  for (let start = 0, n = 1; next; start += READ_SIZE, n++) {
    throwIfAborted(options.signal)
    const bytes = await next
    next = readAhead(blob, start + READ_SIZE)
    md5?.update(bytes)
    if (request.crc32) crc = crc32Update(crc, new Uint8Array(bytes))
    // A full block goes to WebCrypto, which hashes it off this thread while the next reads' MD5 runs.
    await blocks?.add(bytes, n % READS_PER_BLOCK === 0 || !next)
    await options.betweenChunks?.()
  }
  throwIfAborted(options.signal)
  return {
    ...(md5 && { md5: md5.hex() }),
    ...(blocks && { sha1Blocks: await blocks.digests() }),
    ...(request.crc32 && { crc32: crc }),
  }
}
