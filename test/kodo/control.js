// @ts-check
// Test-only operations on the server, shared by the admin HTTP API and the Node handle.
import { buffer } from 'node:stream/consumers'
import { KodoError } from './errors.js'
import { resetState } from './state.js'
import { nowSeconds } from './time.js'
import { signUploadToken } from './token.js'
/** @typedef {import('./state.js').State} State */
/** @typedef {import('./types.js').TokenSpec} TokenSpec */

/** @param {State} state */
export function createControl(state) {
  const [[accessKey, secretKey]] = state.accounts
  const [bucket] = state.buckets
  /**
   * @param {string} key
   * @param {string} b
   */
  const objectStream = (key, b) => {
    const object = state.objects.get(b, key)
    return object ? { stream: state.objects.blobs.read(object.segments), size: object.fsize } : null
  }

  return {
    accessKey,
    secretKey,
    bucket,
    reset: () => resetState(state),

    /** @param {object | string} policy */
    signToken: (policy) => signUploadToken(accessKey, secretKey, policy),
    /**
     * A token from a shortcut: `{ bucket?, key?, expiresIn?, ...more policy fields }`, or `{ policy }`.
     * @param {TokenSpec} [spec]
     */
    makeToken(spec = {}) {
      const { policy, bucket: b = bucket, key, expiresIn = 3600, ...extra } = spec
      const scope = key === undefined ? b : `${b}:${key}`
      return signUploadToken(accessKey, secretKey, policy ?? { scope, deadline: nowSeconds() + expiresIn, ...extra })
    },

    /**
     * @param {string} key
     * @param {string} [b]
     */
    async objectInfo(key, b = bucket) {
      const object = state.objects.get(b, key)
      return object ? state.objects.info(object) : null
    },
    /**
     * @param {string} key
     * @param {string} [b]
     */
    objectStream: (key, b = bucket) => objectStream(key, b),
    /**
     * @param {string} key
     * @param {string} [b]
     * @returns {Promise<Buffer | null>}
     */
    async objectBytes(key, b = bucket) {
      const found = objectStream(key, b)
      return found ? buffer(found.stream) : null
    },
    /** @param {string} [b] */
    listObjects: (b = bucket) => state.objects.list(b).map(({ key, fsize, hash, putTime }) => ({ key, fsize, hash, putTime })),
    /** @param {string} key @param {string} [b] */
    deleteObject: (key, b = bucket) => state.objects.delete(b, key),

    requestLog: () => state.log.list(),
    clearLog: () => state.log.clear(),

    /** @param {unknown} rules A rule or an array of rules. */
    addFaults: (rules) => state.faults.add(rules),
    /** @param {unknown} config */
    randomFaults: (config) => state.faults.setRandom(config),
    listFaults: () => state.faults.list(),
    clearFaults: () => state.faults.clear(),

    /** @param {unknown} bytesPerSec A positive number, or null for no limit. */
    setThrottle(bytesPerSec) {
      if (bytesPerSec !== null && !(typeof bytesPerSec === 'number' && bytesPerSec > 0)) {
        throw new KodoError(400, 'bytesPerSec must be a positive number or null')
      }
      state.throttle.bytesPerSec = bytesPerSec
    },
    /** @param {unknown} extraRegions Up hosts (host:port) of each extra region. */
    setExtraRegions(extraRegions) {
      const valid = Array.isArray(extraRegions) && extraRegions.every((r) => Array.isArray(r) && r.every((h) => typeof h === 'string'))
      if (!valid) throw new KodoError(400, 'extraRegions must be an array of arrays of host:port strings')
      state.extraRegions = extraRegions
    },

    listUploads: () =>
      state.uploads.list().map((upload) => ({
        uploadId: upload.id,
        bucket: upload.bucket,
        key: upload.key,
        expireAt: upload.expireAt,
        parts: [...upload.parts].map(([partNumber, { size, etag }]) => ({ partNumber, size, etag })),
      })),
    /** @param {string} uploadId */
    expireUpload: (uploadId) => state.uploads.expire(uploadId),
    expireCtxs: () => state.blocks.expireAll(),
  }
}

/** @typedef {ReturnType<typeof createControl>} Control */
