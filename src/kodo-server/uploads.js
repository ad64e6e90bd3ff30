// @ts-check
import { randomBytes } from 'node:crypto'
import { KodoError } from './errors.js'
import { nowSeconds } from './time.js'
/** @typedef {import('./types.js').Upload} Upload */
/** @typedef {import('./types.js').UploadedPart} UploadedPart */
/** @typedef {import('./blobs.js').BlobDir} BlobDir */

const LIFETIME_SECONDS = 7 * 24 * 3600

/** V2 multipart uploads in progress (§4). */
export class UploadRegistry {
  /** @type {Map<string, Upload>} */
  #uploads = new Map()

  /** @param {BlobDir} blobs */
  constructor(blobs) {
    this.blobs = blobs
  }

  /**
   * @param {string} bucket
   * @param {string | null} key
   * @returns {Upload}
   */
  create(bucket, key) {
    const upload = {
      id: randomBytes(12).toString('hex'),
      bucket,
      key,
      expireAt: nowSeconds() + LIFETIME_SECONDS,
      parts: new Map(),
    }
    this.#uploads.set(upload.id, upload)
    return upload
  }

  /**
   * The upload, if it is alive and was started for this bucket and key; else 612.
   * @param {string} id
   * @param {string} bucket
   * @param {string | null} key
   * @returns {Upload}
   */
  live(id, bucket, key) {
    const upload = this.#uploads.get(id)
    const expired = upload !== undefined && upload.expireAt <= nowSeconds()
    if (expired) void this.drop(id)
    if (!upload || expired || upload.bucket !== bucket || upload.key !== key) {
      throw new KodoError(612, 'no such uploadId')
    }
    return upload
  }

  /**
   * Stores a part, replacing one with the same number.
   * @param {Upload} upload
   * @param {number} partNumber
   * @param {UploadedPart} part
   */
  async setPart(upload, partNumber, part) {
    const old = upload.parts.get(partNumber)
    upload.parts.set(partNumber, part)
    if (old) await this.blobs.remove([old.segment])
  }

  /**
   * Ends an upload and deletes the parts not in `keep` (those now belong to an object).
   * @param {string} id
   * @param {Set<number>} [keep]
   */
  async drop(id, keep = new Set()) {
    const upload = this.#uploads.get(id)
    this.#uploads.delete(id)
    const discarded = [...(upload?.parts ?? [])].filter(([n]) => !keep.has(n))
    await this.blobs.remove(discarded.map(([, part]) => part.segment))
  }

  /**
   * Makes an upload look expired, as if its 7 days had passed.
   * @param {string} id
   * @returns {boolean} Whether the upload existed.
   */
  expire(id) {
    const upload = this.#uploads.get(id)
    if (upload) upload.expireAt = nowSeconds() - 1
    return Boolean(upload)
  }

  list() {
    return [...this.#uploads.values()]
  }

  clear() {
    this.#uploads.clear()
  }
}
