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
  const [defaultBucket] = state.buckets

  /**
   * An object's bytes, or null when there is no such object.
   * @param {string} key
   * @param {string} [bucket]
   */
  function objectStream(key, bucket = defaultBucket) {
    const object = state.objects.get(bucket, key)
    return object ? { stream: state.objects.blobs.read(object.segments), size: object.fsize } : null
  }

  return {
    accessKey,
    secretKey,
    bucket: defaultBucket,
    reset: () => resetState(state),

    /** @param {object | string} policy */
    signToken: (policy) => signUploadToken(accessKey, secretKey, policy),
    /**
     * A token from a shortcut: `{ bucket?, key?, expiresIn?, ...more policy fields }`, or `{ policy }`.
     * @param {TokenSpec} [spec]
     */
    makeToken(spec = {}) {
      const { policy, bucket = defaultBucket, key, expiresIn = 3600, ...extra } = spec
      const scope = key === undefined ? bucket : `${bucket}:${key}`
      return signUploadToken(accessKey, secretKey, policy ?? { scope, deadline: nowSeconds() + expiresIn, ...extra })
    },

    /**
     * @param {string} key
     * @param {string} [bucket]
     */
    async objectInfo(key, bucket = defaultBucket) {
      const object = state.objects.get(bucket, key)
      return object ? state.objects.info(object) : null
    },
    objectStream,
    /**
     * @param {string} key
     * @param {string} [bucket]
     * @returns {Promise<Buffer | null>}
     */
    async objectBytes(key, bucket = defaultBucket) {
      const found = objectStream(key, bucket)
      return found ? buffer(found.stream) : null
    },
    /** @param {string} [bucket] */
    listObjects: (bucket = defaultBucket) =>
      state.objects.list(bucket).map(({ key, fsize, hash, putTime }) => ({ key, fsize, hash, putTime })),
    /**
     * @param {string} key
     * @param {string} [bucket]
     */
    deleteObject: (key, bucket = defaultBucket) => state.objects.delete(bucket, key),

    requestLog: () => state.log.list(),
    clearLog: () => state.log.clear(),

    /** @param {unknown} rules A rule or an array of rules. */
    addFaults: (rules) => state.faults.add(rules),
    /** @param {unknown} config */
    randomFaults: (config) => state.faults.setRandom(config),
    listFaults: () => state.faults.list(),
    clearFaults: () => state.faults.clear(),
    /** Drops the explicit rules only: a seeded random mode keeps its place in its sequence. */
    clearFaultRules: () => state.faults.clearRules(),

    /** @param {unknown} bytesPerSec A positive number, or null for no limit. */
    setThrottle(bytesPerSec) {
      if (bytesPerSec !== null && !(typeof bytesPerSec === 'number' && bytesPerSec > 0)) {
        throw new KodoError(400, 'bytesPerSec must be a positive number or null')
      }
      state.throttle.bytesPerSec = bytesPerSec
    },
    /** @param {unknown} ms A delay of 0 or more ms before every request (preflights included) is handled. */
    setLatency(ms) {
      if (!(typeof ms === 'number' && ms >= 0 && Number.isFinite(ms))) throw new KodoError(400, 'ms must be a number ≥ 0')
      state.latencyMs = ms
    },
    /** @param {unknown} extraRegions Up hosts (host:port) of each extra region. */
    setExtraRegions(extraRegions) {
      const isHostList = (/** @type {unknown} */ r) => Array.isArray(r) && r.every((host) => typeof host === 'string')
      if (!Array.isArray(extraRegions) || !extraRegions.every(isHostList)) {
        throw new KodoError(400, 'extraRegions must be an array of arrays of host:port strings')
      }
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
