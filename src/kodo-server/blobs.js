// @ts-check
// Uploaded bytes live in blob files, one per request body. Objects are lists of segments, so finishing a
// multipart upload moves no bytes.
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
/** @typedef {import('./types.js').Segment} Segment */
/** @typedef {{ update(chunk: Uint8Array): unknown }} Hasher */

export class BlobDir {
  /** @param {string} dir */
  constructor(dir) {
    this.dir = dir
  }

  /** Deletes every blob, including ones still being written, and makes sure the directory exists. */
  async wipe() {
    await rm(this.dir, { recursive: true, force: true })
    await mkdir(this.dir, { recursive: true })
  }

  /**
   * @param {Hasher[]} [hashers] Fed with every byte written.
   * @returns {BlobWriter}
   */
  create(hashers = []) {
    return new BlobWriter(join(this.dir, randomBytes(12).toString('hex')), hashers)
  }

  /** @param {Segment[]} segments */
  async remove(segments) {
    await Promise.all(segments.map((segment) => rm(segment.path, { force: true })))
  }

  /**
   * @param {Segment[]} segments
   * @returns {Readable} The segments' bytes in order.
   */
  read(segments) {
    return Readable.from(
      (async function* () {
        for (const { path, size } of segments) {
          if (size > 0) yield* createReadStream(path, { start: 0, end: size - 1 })
        }
      })(),
    )
  }
}

/**
 * Writes one request body to a new blob, hashing it on the way (hashes are never taken later). The file
 * stream buffers up to 1 MiB, so the disk writes overlap with hashing the next chunks.
 */
export class BlobWriter {
  size = 0

  /**
   * @param {string} path
   * @param {Hasher[]} hashers
   */
  constructor(path, hashers) {
    this.path = path
    this.hashers = hashers
    // Errors surface through write() and finish(); the listener only keeps them from being unhandled.
    this.stream = createWriteStream(path, { highWaterMark: 1 << 20 }).on('error', () => {})
  }

  /** @param {Uint8Array} chunk */
  async write(chunk) {
    for (const hasher of this.hashers) hasher.update(chunk)
    this.size += chunk.length
    if (this.stream.errored) throw this.stream.errored
    if (!this.stream.write(chunk)) await once(this.stream, 'drain')
  }

  /** @returns {Promise<Segment>} */
  async finish() {
    await finished(this.stream.end())
    return { path: this.path, size: this.size }
  }

  async discard() {
    this.stream.destroy()
    await rm(this.path, { force: true })
  }
}
