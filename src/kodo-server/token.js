// @ts-check
// Upload tokens (§2.1, §2.2): AccessKey ":" urlsafeB64(HMAC-SHA1(SecretKey, encodedPolicy)) ":" encodedPolicy.
import { createHmac } from 'node:crypto'
import { urlsafeDecode, urlsafeEncode } from './base64.js'
import { KodoError } from './errors.js'

/**
 * @param {string} accessKey
 * @param {string} secretKey
 * @param {object | string} policy A put policy, or JSON text that is signed byte for byte.
 * @returns {string}
 */
export function signUploadToken(accessKey, secretKey, policy) {
  const encodedPolicy = urlsafeEncode(typeof policy === 'string' ? policy : JSON.stringify(policy))
  return `${accessKey}:${sign(secretKey, encodedPolicy)}:${encodedPolicy}`
}

/**
 * @param {string} secretKey
 * @param {string} encodedPolicy
 */
function sign(secretKey, encodedPolicy) {
  return urlsafeEncode(createHmac('sha1', secretKey).update(encodedPolicy).digest())
}

/**
 * Checks a token's shape, signature and deadline (§2.2 steps 2–5).
 * @param {Map<string, string>} accounts AK → SK.
 * @param {string | undefined} token
 * @param {number} now Unix seconds.
 * @returns {Record<string, unknown> & { scope: string, deadline: number }} The put policy.
 */
export function verifyUploadToken(accounts, token, now) {
  if (!token) throw new KodoError(401, 'token not specified')
  const segments = token.split(':')
  const secretKey = segments.length === 3 ? accounts.get(segments[0]) : undefined
  if (secretKey === undefined) throw new KodoError(401, 'bad token')
  const [, signature, encodedPolicy] = segments
  if (signature.replace(/=+$/, '') !== sign(secretKey, encodedPolicy).replace(/=+$/, '')) {
    throw new KodoError(401, 'bad token')
  }
  const policy = parsePolicy(encodedPolicy)
  if (policy.deadline < now) throw new KodoError(401, 'expired token')
  return policy
}

/**
 * @param {string} encodedPolicy
 * @returns {Record<string, unknown> & { scope: string, deadline: number }}
 */
function parsePolicy(encodedPolicy) {
  const bytes = urlsafeDecode(encodedPolicy)
  let policy
  try {
    policy = JSON.parse(bytes?.toString('utf8') ?? '')
  } catch {
    throw new KodoError(401, 'invalid put policy encoding')
  }
  if (typeof policy?.scope !== 'string' || !Number.isInteger(policy.deadline)) {
    throw new KodoError(401, 'invalid put policy')
  }
  return policy
}
