// @ts-check
import { KodoError } from './errors.js'

// URL-safe Base64 as Kodo uses it: SDKs send `=` padding, some clients don't, so decoding accepts both.

/**
 * @param {string | Uint8Array} data
 * @returns {string} Padded URL-safe Base64.
 */
export function urlsafeEncode(data) {
  return Buffer.from(data).toString('base64').replaceAll('+', '-').replaceAll('/', '_')
}

/**
 * @param {string} text Padded or unpadded URL-safe Base64.
 * @returns {Buffer | null} null when `text` is not valid URL-safe Base64.
 */
export function urlsafeDecode(text) {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return null
  const bare = text.replace(/=+$/, '')
  const padded = text.length !== bare.length
  if (bare.length % 4 === 1 || (padded && text.length % 4 !== 0)) return null
  return Buffer.from(bare, 'base64url')
}

/**
 * A UTF-8 string sent as URL-safe Base64 in a path (keys, mkfile values).
 * @param {string} text
 * @param {string} what Named in the 400 error.
 */
export function decodeTextParam(text, what) {
  const bytes = urlsafeDecode(text)
  if (bytes === null) throw new KodoError(400, `invalid base64 in ${what}`)
  return bytes.toString('utf8')
}
