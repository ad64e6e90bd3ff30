// @ts-check
// Who may use the admin API: whoever holds the per-run secret. A page on another origin can neither read
// admin answers (they carry no wildcard CORS) nor act through them (every request needs the secret,
// which a browser sends only with a preflight this server answers for the secret's holder).
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { KodoError } from './errors.js'
/** @typedef {import('./exchange.js').Exchange} Exchange */

/** The request header that carries the admin secret. */
export const ADMIN_SECRET_HEADER = 'X-Kodo-Admin-Secret'

/** A fresh secret for one run of the server (192 random bits). */
export const newAdminSecret = () => randomBytes(24).toString('base64url')

/**
 * Sets the admin answer's CORS headers and refuses a request without the secret. A preflight carries no
 * secret, so it is answered for any origin, naming that origin; the request that follows still needs the
 * secret, and its answer names the origin only when the secret was right.
 * @param {Exchange} ex
 * @param {string} secret
 * @returns {boolean} Whether the request is a preflight (answered here).
 */
export function guardAdmin(ex, secret) {
  const { req, res } = ex
  const origin = req.headers.origin
  res.removeHeader('Access-Control-Allow-Origin')
  res.setHeader('Vary', 'Origin')
  if (req.method === 'OPTIONS') {
    if (origin) res.setHeader('Access-Control-Allow-Origin', origin)
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS')
    res.setHeader('Access-Control-Allow-Headers', `Content-Type, ${ADMIN_SECRET_HEADER}`)
    return true
  }
  if (!sameSecret(req.headers[ADMIN_SECRET_HEADER.toLowerCase()], secret)) {
    throw new KodoError(401, `admin API: send the server's admin secret in ${ADMIN_SECRET_HEADER}`)
  }
  if (origin) res.setHeader('Access-Control-Allow-Origin', origin)
  return false
}

/**
 * A comparison that takes as long for a near miss as for a far one.
 * @param {unknown} given
 * @param {string} secret
 */
export function sameSecret(given, secret) {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(secret)
  return a.length === b.length && timingSafeEqual(a, b)
}
