// @ts-check
// Who may use the demo server's `/api/*`. On a loopback host, anyone who can reach it (this machine).
// On another host with real QINIU_* keys the demo refuses to start unless told to, and then asks for a
// shared secret: anyone on the network could otherwise sign uploads to the bucket and read its objects.
import { randomBytes } from 'node:crypto'
import { sameSecret } from '../src/kodo-server/admin-access.js'

/** Header (for scripts) and cookie (for the page and its links) that carry the shared secret. */
export const API_SECRET_HEADER = 'X-Demo-Secret'
export const API_SECRET_COOKIE = 'demo-secret'

/** @param {string} host */
export function isLoopbackHost(host) {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase()
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare)
}

/**
 * The shared secret `/api/*` requires, or null when none is needed.
 * @param {{ host: string, realKeys: boolean, allowPublicHost: boolean, apiSecret?: string }} options
 * @returns {string | null}
 */
export function apiSecretFor({ host, realKeys, allowPublicHost, apiSecret }) {
  if (!realKeys || isLoopbackHost(host)) return null
  if (!allowPublicHost) {
    throw new Error(
      `Refusing to listen on ${host} with real QINIU_* keys: anyone who can reach it could sign uploads to the bucket ` +
        'and read its objects. Use a loopback host, or pass --allow-public-host (the API then requires a shared secret).',
    )
  }
  // URL-safe, so it travels in a URL fragment and a cookie unescaped.
  return apiSecret || randomBytes(18).toString('base64url')
}

/**
 * Whether a request carries the secret, in the header or the cookie.
 * @param {import('node:http').IncomingMessage} req
 * @param {string} secret
 */
export function hasApiSecret(req, secret) {
  const header = req.headers[API_SECRET_HEADER.toLowerCase()]
  const cookie = (req.headers.cookie ?? '').split(/;\s*/).find((pair) => pair.startsWith(`${API_SECRET_COOKIE}=`))
  const fromCookie = cookie === undefined ? undefined : decode(cookie.slice(API_SECRET_COOKIE.length + 1))
  return [header, fromCookie].some((given) => sameSecret(given, secret))
}

/** @param {string} text */
function decode(text) {
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}
