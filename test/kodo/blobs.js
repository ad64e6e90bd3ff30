// @ts-check
// Uploaded bytes live in blob files, one per request body. Objects are lists of segments, so finishing a
// multipart upload moves no bytes.
import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
/** @typedef {import('./types.js').Segment} Segment */

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

  /** @returns {Promise<BlobWriter>} */
  async create() {
    const path = join(this.dir, randomBytes(12).toString('hex'))
    return new BlobWriter(path, await open(path, 'w'))
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

/** Writes one request body to a new blob. */
export class BlobWriter {
  size = 0

  /**
   * @param {string} path
   * @param {import('node:fs/promises').FileHandle} file
   */
  constructor(path, file) {
    this.path = path
    this.file = file
  }

  /** @param {Uint8Array} chunk */
  async write(chunk) {
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
