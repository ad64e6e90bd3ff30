import { UploadError } from '../errors.js'
import { MiB } from '../protocol/part-limits.js'
import { delay } from '../utils/delay.js'
import { SpareBuffers } from './spare-buffers.js'

/** The largest piece: small enough that a part's bytes never sit in memory whole. */
export const PIECE_SIZE = MiB
/** Two per reader (one read while the other is hashed); more for a few readers at once (main thread). */
const pieces = new SpareBuffers(PIECE_SIZE, 8)
/** A stream read that has not settled by then is given up for slice reads (Chromium's sometimes never does). */
const STREAM_READ_STALL_MS = 5_000
/** Waits before reading a slice again: browsers fail reads of large Blobs now and then (NotReadableError). */
const RETRY_DELAYS_MS = [50, 500]

const readFailure = (cause: unknown) => new UploadError('local-io', 'Could not read the file; was it changed or removed?', { cause })

/**
 * The bytes of a Blob in pieces of at most 1 MiB, reading the next piece while the caller hashes
 * this one. Each piece is valid until the caller asks for the next. Where Blob streams have BYOB
 * readers (Chromium), two reused buffers take turns and nothing is allocated per piece. A stream
 * read that fails or never settles (seen in Chromium with large Blobs: the worker hashing it hung)
 * hands over to `slice().arrayBuffer()` reads from the same offset, each tried again after a failure.
 */
export async function* readPieces(blob: Blob): AsyncGenerator<Uint8Array, void, undefined> {
  let reader: ReadableStreamBYOBReader
  try {
    reader = blob.stream().getReader({ mode: 'byob' })
  } catch {
    return yield* readSlices(blob, 0)
  }
  let offset = 0
  let spare = pieces.take()
  let pending = reader.read(new Uint8Array(pieces.take()))
  try {
    for (;;) {
      const result = await settledWithin(pending, STREAM_READ_STALL_MS)
      if (!result) return yield* readSlices(blob, offset)
      const { done, value } = result
      if (done) {
        if (value) pieces.giveBack(value.buffer)
        pieces.giveBack(spare)
        return
      }
      pending = reader.read(new Uint8Array(spare))
      offset += value.byteLength
      yield value
      spare = value.buffer
    }
  } finally {
    // The caller stopped early (abort, failure), or slices took over: the read under way is no longer wanted.
    pending.catch(() => {})
    reader.cancel().catch(() => {})
  }
}

/** The read's result, or undefined when it failed or did not settle within `ms`. */
async function settledWithin<T>(read: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const stalled = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms)
  })
  try {
    return await Promise.race([read.catch(() => undefined), stalled])
  } finally {
    clearTimeout(timer)
  }
}

async function* readSlices(blob: Blob, from: number): AsyncGenerator<Uint8Array, void, undefined> {
  const read = (start: number) => {
    const reading = readSlice(blob.slice(start, start + PIECE_SIZE))
    // Marks the rejection as handled: the caller may stop before this read is awaited.
    reading.catch(() => {})
    return reading
  }
  let next = from < blob.size ? read(from) : undefined
  for (let start = from; next; start += PIECE_SIZE) {
    const bytes = await next
    next = start + PIECE_SIZE < blob.size ? read(start + PIECE_SIZE) : undefined
    yield new Uint8Array(bytes)
  }
}

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
