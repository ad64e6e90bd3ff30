// @ts-check
// The admin API under /_admin/ for tests, the demo and benchmarks: no upload token, but the per-run admin
// secret (admin-access.js); not logged.
import { guardAdmin } from '../admin-access.js'
import { decodeTextParam } from '../base64.js'
import { readJson } from '../body.js'
import { KodoError } from '../errors.js'
import { matchRoute } from '../router.js'
/** @typedef {import('../exchange.js').Exchange} Exchange */
/** @typedef {import('../control.js').Control} Control */
/**
 * Resolves to the JSON answer, unless the handler has answered itself.
 * @typedef {(ex: Exchange, params: string[], control: Control) => Promise<unknown>} AdminHandler
 */

/** @type {import('../router.js').RouteEntry<{ handler: AdminHandler }>[]} */
const ROUTES = [
  { method: 'GET', pattern: /^\/_admin\/objects\/([^/]+)$/, handler: async (_, [bucket], c) => c.listObjects(bucket) },
  { method: 'GET', pattern: /^\/_admin\/objects\/([^/]+)\/([^/]+)$/, handler: objectInfo },
  { method: 'DELETE', pattern: /^\/_admin\/objects\/([^/]+)\/([^/]+)$/, handler: deleteObject },
  { method: 'GET', pattern: /^\/_admin\/objects\/([^/]+)\/([^/]+)\/bytes$/, handler: objectBytes },
  { method: 'GET', pattern: /^\/_admin\/log$/, handler: async (_, __, c) => c.requestLog() },
  { method: 'DELETE', pattern: /^\/_admin\/log$/, handler: async (_, __, c) => c.clearLog() },
  { method: 'POST', pattern: /^\/_admin\/token$/, handler: async (ex, _, c) => ({ token: c.makeToken(await body(ex)) }) },
  { method: 'POST', pattern: /^\/_admin\/reset$/, handler: async (_, __, c) => c.reset() },
  { method: 'GET', pattern: /^\/_admin\/uploads$/, handler: async (_, __, c) => c.listUploads() },
  { method: 'POST', pattern: /^\/_admin\/uploads\/([^/]+)\/expire$/, handler: expireUpload },
  { method: 'POST', pattern: /^\/_admin\/ctx\/expire-all$/, handler: async (_, __, c) => ({ expired: c.expireCtxs() }) },
  { method: 'GET', pattern: /^\/_admin\/faults$/, handler: async (_, __, c) => c.listFaults() },
  { method: 'POST', pattern: /^\/_admin\/faults$/, handler: async (ex, _, c) => ({ rules: c.addFaults(await body(ex)) }) },
  { method: 'DELETE', pattern: /^\/_admin\/faults$/, handler: async (_, __, c) => c.clearFaults() },
  { method: 'POST', pattern: /^\/_admin\/faults\/random$/, handler: async (ex, _, c) => c.randomFaults(await body(ex)) },
  { method: 'POST', pattern: /^\/_admin\/throttle$/, handler: async (ex, _, c) => c.setThrottle((await body(ex)).bytesPerSec ?? null) },
  { method: 'POST', pattern: /^\/_admin\/latency$/, handler: async (ex, _, c) => c.setLatency((await body(ex)).ms ?? 0) },
  { method: 'POST', pattern: /^\/_admin\/regions$/, handler: async (ex, _, c) => c.setExtraRegions((await body(ex)).extraRegions) },
]

/**
 * @param {Exchange} ex
 * @param {Control} control
 */
export async function admin(ex, control) {
  if (guardAdmin(ex, ex.state.adminSecret)) return ex.json(200, {})
  const match = matchRoute(ROUTES, ex.req.method ?? '', ex.url.pathname)
  if (!match) throw new KodoError(404, 'no such admin api')
  const answer = await match.entry.handler(ex, match.params, control)
  if (!ex.res.headersSent) await ex.json(200, answer ?? {})
}

/**
 * An optional JSON object body.
 * @param {Exchange} ex
 * @returns {Promise<Record<string, any>>}
 */
async function body(ex) {
  const value = await readJson(ex, { optional: true })
  if (typeof value !== 'object' || value === null) throw new KodoError(400, 'expected a JSON object')
  return value
}

/** @param {string} encodedKey URL-safe Base64 of the key, as in Kodo's own paths. */
const decodeKey = (encodedKey) => decodeTextParam(encodedKey, 'object key')

/** @type {AdminHandler} */
async function objectInfo(_, [bucket, encodedKey], control) {
  return (await control.objectInfo(decodeKey(encodedKey), bucket)) ?? notFound()
}

/** @type {AdminHandler} */
async function deleteObject(_, [bucket, encodedKey], control) {
  return (await control.deleteObject(decodeKey(encodedKey), bucket)) ? {} : notFound()
}

/** @type {AdminHandler} */
async function expireUpload(_, [uploadId], control) {
  return control.expireUpload(uploadId) ? {} : notFound('no such uploadId')
}

/** @type {AdminHandler} The raw object. */
async function objectBytes(ex, [bucket, encodedKey], control) {
  const { stream, size } = control.objectStream(decodeKey(encodedKey), bucket) ?? notFound()
  return ex.sendStream(stream, size)
}

/** @returns {never} */
function notFound(message = 'no such file') {
  throw new KodoError(404, message)
}
