import { throwIfAborted } from '../errors.js'
import { crc32Update } from '../utils/crc32.js'
import { blockSha1s, type Sha1 } from './block-sha1s.js'
import type { Digest, DigestRequest } from './hasher.js'
import { sparkMd5, type Md5Factory } from './md5.js'
import { readPieces } from './read-pieces.js'

export interface ComputeDigestOptions {
  /**
   * The block SHA-1: WebCrypto with a JavaScript fallback. The page's is a chunk loaded on first use;
   * a worker's is built in (a worker file imports nothing).
   */
  sha1: Sha1
  /** Checked between pieces: an aborted signal stops the work with an `aborted` UploadError. */
  signal?: AbortSignal
  /** Awaited after each piece (≤ 1 MiB), e.g. to give the main thread's event loop a turn. */
  betweenChunks?: () => Promise<void>
  /** The MD5 engine (default spark-md5). */
  createMd5?: Md5Factory
}

/**
 * md5 / 4 MiB block SHA-1s / CRC-32 of a Blob, in pieces of at most 1 MiB read into reused buffers:
 * a part leaves no garbage behind (4 MiB reads grew the renderer by 100+ MiB during an upload).
 */
export async function computeDigest(blob: Blob, request: DigestRequest, options: ComputeDigestOptions): Promise<Digest> {
  const md5 = request.md5 ? await (options.createMd5 ?? sparkMd5)() : undefined
  const blocks = request.sha1Blocks ? blockSha1s(options.sha1) : undefined
  let crc = 0
  throwIfAborted(options.signal)
  for await (const bytes of readPieces(blob)) {
    md5?.update(bytes)
    if (request.crc32) crc = crc32Update(crc, bytes)
    // A full block goes to WebCrypto, which hashes it off this thread while the next pieces' MD5 runs.
    await blocks?.add(bytes)
    await options.betweenChunks?.()
    throwIfAborted(options.signal)
  }
  return {
    ...(md5 && { md5: md5.hex() }),
    ...(blocks && { sha1Blocks: await blocks.digests() }),
    ...(request.crc32 && { crc32: crc }),
  }
}
