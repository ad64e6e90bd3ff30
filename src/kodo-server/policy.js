// @ts-check
// What an upload token allows (§2.2–§2.4): bucket, key scope, size and MIME limits, overwriting.
import { KodoError } from './errors.js'
import { expandSaveKey } from './magic.js'
import { nowSeconds } from './time.js'
import { verifyUploadToken } from './token.js'
/** @typedef {import('./types.js').StoredObject} StoredObject */

/**
 * @typedef {object} Grant A verified token.
 * @property {Record<string, unknown>} policy
 * @property {string} bucket
 * @property {string | null} scopeKey The key (or prefix) after `bucket:`; null for a plain bucket scope.
 * @property {boolean} prefixal isPrefixalScope.
 */

/**
 * The token of a V1/V2 request: `Authorization: UpToken <token>`.
 * @param {import('node:http').IncomingMessage} req
 */
export function headerToken(req) {
  const header = req.headers.authorization
  // Another scheme is passed on whole, so that it fails verification as a bad token.
  return header?.startsWith('UpToken ') ? header.slice('UpToken '.length).trim() : header
}

/**
 * Verifies a token for a request (§2.2 steps 1–6).
 * @param {{ accounts: Map<string, string>, buckets: Set<string> }} state
 * @param {string | undefined} token
 * @param {string} [requestBucket] The bucket the request names (V2 paths).
 * @returns {Grant}
 */
export function authorize(state, token, requestBucket) {
  const policy = verifyUploadToken(state.accounts, token, nowSeconds())
  const colon = policy.scope.indexOf(':')
  const bucket = colon < 0 ? policy.scope : policy.scope.slice(0, colon)
  if (requestBucket !== undefined && requestBucket !== bucket) throw new KodoError(401, 'bad token')
  if (!state.buckets.has(bucket)) throw new KodoError(631, 'no such bucket')
  const scopeKey = colon < 0 ? null : policy.scope.slice(colon + 1)
  return { policy, bucket, scopeKey, prefixal: policy.isPrefixalScope === 1 }
}

/**
 * The key an upload ends up with: saveKey when the client gave none (or forceSaveKey), else the client's
 * key, else the content hash.
 * @param {Record<string, unknown>} policy
 * @param {string | null} requestedKey
 * @param {import('./magic.js').Lookup} lookup
 * @param {string} hash
 */
export function resolveKey(policy, requestedKey, lookup, hash) {
  const { saveKey } = policy
  if (typeof saveKey === 'string' && (requestedKey === null || policy.forceSaveKey === true)) {
    return expandSaveKey(saveKey, lookup)
  }
  return requestedKey ?? hash
}

/**
 * A `bucket:key` scope allows exactly that key, a prefixal one keys starting with the prefix.
 * @param {Grant} grant
 * @param {string} key
 * @param {number} status 403 for form uploads, 401 elsewhere (§2.2 step 7).
 */
export function checkKeyScope(grant, key, status) {
  if (grant.scopeKey === null) return
  const allowed = grant.prefixal ? key.startsWith(grant.scopeKey) : key === grant.scopeKey
  if (!allowed) throw new KodoError(status, "key doesn't match with scope")
}

/**
 * fsizeLimit (413), fsizeMin and mimeLimit (403).
 * @param {Record<string, unknown>} policy
 * @param {number} fsize
 * @param {string} mimeType
 */
export function checkLimits(policy, fsize, mimeType) {
  const { fsizeLimit, fsizeMin, mimeLimit } = policy
  if (typeof fsizeLimit === 'number' && fsize > fsizeLimit) throw new KodoError(413, 'file size exceeds fsizeLimit')
  if (typeof fsizeMin === 'number' && fsize < fsizeMin) throw new KodoError(403, 'file size is less than fsizeMin')
  if (typeof mimeLimit === 'string' && !mimeAllowed(mimeLimit, mimeType)) {
    throw new KodoError(403, 'file type is not allowed by mimeLimit')
  }
}

/**
 * `image/*;video/mp4` allows the listed types; a leading `!` turns the list into a deny list.
 * @param {string} mimeLimit
 * @param {string} mimeType
 */
function mimeAllowed(mimeLimit, mimeType) {
  const deny = mimeLimit.startsWith('!')
  const patterns = (deny ? mimeLimit.slice(1) : mimeLimit).split(';').map((p) => p.trim())
  const listed = patterns.some((p) => p === mimeType || (p.endsWith('/*') && mimeType.startsWith(p.slice(0, -1))))
  return listed !== deny
}

/**
 * The overwrite rules of §2.4.
 * @param {Grant} grant
 * @param {'form' | 'complete' | 'mkfile'} api
 * @param {StoredObject | undefined} existing
 * @param {string} hash Of the new content.
 * @returns {boolean} true to store the new object, false to keep the identical existing one; throws 614.
 */
export function shouldWrite(grant, api, existing, hash) {
  if (!existing) return true
  const insertOnly = Boolean(grant.policy.insertOnly)
  if (grant.scopeKey !== null && !grant.prefixal) {
    if (insertOnly) throw new KodoError(614, 'file exists')
    return true
  }
  if (existing.hash === hash) return false
  if (api === 'mkfile' && !insertOnly && !grant.prefixal) return true
  throw new KodoError(614, 'file exists')
}
