import { UploadError } from '../errors.js'
import { MiB } from '../protocol/part-limits.js'
import { SpareBuffers } from './spare-buffers.js'

/** The largest piece: small enough that a part's bytes never sit in memory whole. */
export const PIECE_SIZE = MiB
/** Two per reader (one read while the other is hashed); more for a few readers at once (main thread). */
const pieces = new SpareBuffers(PIECE_SIZE, 8)

const readFailure = (cause: unknown) => new UploadError('local-io', 'Could not read the file; was it changed or removed?', { cause })

/**
 * The bytes of a Blob in pieces of at most 1 MiB, reading the next piece while the caller hashes
 * this one. Each piece is valid until the caller asks for the next. Where Blob streams have BYOB
 * readers (Chromium), two reused buffers take turns and nothing is allocated per piece; elsewhere
 * each piece is a fresh `slice().arrayBuffer()`.
 */
export async function* readPieces(blob: Blob): AsyncGenerator<Uint8Array, void, undefined> {
  let reader: ReadableStreamBYOBReader
  try {
    reader = blob.stream().getReader({ mode: 'byob' })
  } catch {
    return yield* readSlices(blob)
  }
  let spare = pieces.take()
  let pending = reader.read(new Uint8Array(pieces.take()))
  try {
    for (;;) {
      const { done, value } = await pending.catch((cause: unknown) => Promise.reject(readFailure(cause)))
      if (done) {
        if (value) pieces.giveBack(value.buffer)
        pieces.giveBack(spare)
        return
      }
      pending = reader.read(new Uint8Array(spare))
      yield value
      spare = value.buffer
    }
  } finally {
    // The caller stopped early (abort, failure): the read under way is no longer wanted.
    pending.catch(() => {})
    reader.cancel().catch(() => {})
  }
}

async function* readSlices(blob: Blob): AsyncGenerator<Uint8Array, void, undefined> {
  const read = (start: number) => {
    const reading = blob.slice(start, start + PIECE_SIZE).arrayBuffer().catch((cause: unknown) => Promise.reject(readFailure(cause)))
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
