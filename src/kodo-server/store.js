// @ts-check
import { createHash } from 'node:crypto'
/** @typedef {import('./types.js').StoredObject} StoredObject */
/** @typedef {import('./types.js').ObjectInfo} ObjectInfo */
/** @typedef {import('./blobs.js').BlobDir} BlobDir */

/** Finished objects, per bucket. Bytes stay in their blobs; metadata is kept in memory. */
export class ObjectStore {
  /** @type {Map<string, Map<string, StoredObject>>} */
  #buckets = new Map()

  /** @param {BlobDir} blobs */
  constructor(blobs) {
    this.blobs = blobs
  }

  /**
   * @param {string} bucket
   * @param {string} key
   */
  get(bucket, key) {
    return this.#buckets.get(bucket)?.get(key)
  }

  /** @param {string} bucket */
  list(bucket) {
    return [...(this.#buckets.get(bucket)?.values() ?? [])]
  }

  /**
   * Stores an object; an object it replaces loses its bytes.
   * @param {string} bucket
   * @param {StoredObject} object
   */
  async put(bucket, object) {
    const objects = this.#buckets.get(bucket) ?? new Map()
    this.#buckets.set(bucket, objects)
    const old = objects.get(object.key)
    objects.set(object.key, object)
    if (old) await this.blobs.remove(old.segments)
  }

  /**
   * @param {string} bucket
   * @param {string} key
   * @returns {Promise<boolean>} Whether there was such an object.
   */
  async delete(bucket, key) {
    const old = this.get(bucket, key)
    this.#buckets.get(bucket)?.delete(key)
    if (old) await this.blobs.remove(old.segments)
    return Boolean(old)
  }

  /** Forgets every object (the caller wipes the blobs). */
  clear() {
    this.#buckets.clear()
  }

  /**
   * The object's description, with its MD5 computed on first request.
   * @param {StoredObject} object
   * @returns {Promise<ObjectInfo>}
   */
  async info(object) {
    object.md5 ??= await this.#md5(object)
    const { segments, ...info } = object
    return { ...info, md5: object.md5 }
  }

  /** @param {StoredObject} object */
  async #md5(object) {
    const hash = createHash('md5')
    for await (const chunk of this.blobs.read(object.segments)) hash.update(chunk)
    return hash.digest('hex')
  }
}
