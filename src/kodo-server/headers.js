// @ts-check
// Response headers of §9: on every response, and the CORS preflight answer.
import { randomBytes } from 'node:crypto'

/** A unique request id, shaped like Kodo's (16 URL-safe characters). */
export const newReqId = () => randomBytes(12).toString('base64url')

/**
 * Headers every response carries, errors and fault answers included. Real servers fill X-Log with
 * free-form trace text.
 * @param {string} reqId
 * @returns {Record<string, string>}
 */
export function commonHeaders(reqId) {
  return {
    'X-Reqid': reqId,
    'X-Log': 'kodo-local',
    'Cache-Control': 'no-store',
    'Content-Type': 'application/json',
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': 'X-Reqid, X-Log',
  }
}

const ALWAYS_ALLOWED = ['Authorization', 'Content-Type', 'Content-MD5']

/**
 * The preflight answer: the wildcard does not cover Authorization, so the headers are listed, plus
 * whatever the browser asked for.
 * @param {string | undefined} requested Access-Control-Request-Headers.
 * @returns {Record<string, string>}
 */
export function preflightHeaders(requested) {
  const asked = (requested ?? '').split(',').map((name) => name.trim()).filter(Boolean)
  const extra = asked.filter((name) => !ALWAYS_ALLOWED.some((allowed) => allowed.toLowerCase() === name.toLowerCase()))
  return {
    'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': [...ALWAYS_ALLOWED, ...extra].join(', '),
    'Access-Control-Max-Age': '2592000',
  }
}
