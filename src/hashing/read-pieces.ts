import { UploadError } from '../errors.js'
import { MiB } from '../protocol/part-limits.js'
import { delay } from '../utils/delay.js'

/** The largest piece: small enough that a part's bytes never sit in memory whole. */
export const PIECE_SIZE = MiB

const readFailure = (cause: unknown) => new UploadError('local-io', 'Could not read the file; was it changed or removed?', { cause })
/** Waits before reading a piece again: browsers fail reads of large Blobs now and then (NotReadableError). */
const RETRY_DELAYS_MS = [50, 500]

/** One piece's bytes, read again after a failure that may pass; a file that changed fails every time. */
async function readSlice(slice: Blob): Promise<ArrayBuffer> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await slice.arrayBuffer()
    } catch (cause) {
      if (attempt >= RETRY_DELAYS_MS.length) throw readFailure(cause)
      await delay(RETRY_DELAYS_MS[attempt]!)
    }
  }
}

/**
 * The bytes of a Blob in pieces of at most 1 MiB, reading the next piece while the caller hashes
 * this one: a part's bytes never sit in memory whole. Each piece is its own `slice().arrayBuffer()`.
 * Not a BYOB stream reader into reused buffers: in Chromium such a read of a large Blob sometimes
 * never settled, and the worker hashing it hung with it (`npm run bench`, 128 MiB, four lanes).
 */
export async function* readPieces(blob: Blob): AsyncGenerator<Uint8Array, void, undefined> {
  const read = (start: number) => {
    const reading = readSlice(blob.slice(start, start + PIECE_SIZE))
    // Marks the rejection as handled: the caller may stop before this read is awaited.
    reading.catch(() => {})
    return reading
  }
  let next = blob.size > 0 ? read(0) : undefined
  for (let start = 0; next; start += PIECE_SIZE) {
    const bytes = await next
    next = start + PIECE_SIZE < blob.size ? read(start + PIECE_SIZE) : undefined
    yield new Uint8Array(bytes)
  }
}
