// @ts-check
// Uploaded bytes live in blob files, one per request body. Objects are lists of segments, so finishing a
// multipart upload moves no bytes.
import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
/** @typedef {import('./types.js').Segment} Segment */
/** @typedef {{ update(chunk: Uint8Array): unknown }} Hasher */

export class BlobDir {
  /** @param {string} dir */
  constructor(dir) {
    this.dir = dir
  }

  async init() {
    await mkdir(this.dir, { recursive: true })
  }

  /** Deletes every blob, including ones still being written. */
  async wipe() {
    await rm(this.dir, { recursive: true, force: true })
    await this.init()
  }

  /**
   * @param {Hasher[]} [hashers] Fed with every byte written.
   * @returns {Promise<BlobWriter>}
   */
  async create(hashers = []) {
    const path = join(this.dir, randomBytes(12).toString('hex'))
    return new BlobWriter(path, await open(path, 'w'), hashers)
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

/** Writes one request body to a new blob, hashing it on the way (hashes are never taken later). */
export class BlobWriter {
  size = 0

  /**
   * @param {string} path
   * @param {import('node:fs/promises').FileHandle} file
   * @param {Hasher[]} hashers
   */
  constructor(path, file, hashers) {
    this.path = path
    this.file = file
    this.hashers = hashers
  }

  /** @param {Uint8Array} chunk */
  async write(chunk) {
    for (const hasher of this.hashers) hasher.update(chunk)
    await this.file.write(chunk)
    this.size += chunk.length
  }

  /** @returns {Promise<Segment>} */
  async finish() {
    await this.file.close()
    return { path: this.path, size: this.size }
  }

  async discard() {
    await this.file.close().catch(() => {})
    await rm(this.path, { force: true })
  }
}
