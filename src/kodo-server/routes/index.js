// @ts-check
// The Kodo API routes: which handler serves a request, and which API it counts as (log, faults).
import { KodoError } from '../errors.js'
import { matchRoute } from '../router.js'
import { formUpload } from './form.js'
import { preflight } from './preflight.js'
import { queryRegions } from './query.js'
import { sink, sinkTotal } from './sink.js'
import { makeBlock, makeFile, putChunk } from './v1.js'
import { abortUpload, completeParts, initParts, listParts, uploadPart } from './v2.js'
/** @typedef {import('../exchange.js').Exchange} Exchange */
/** @typedef {import('../types.js').Api} Api */
/** @typedef {(ex: Exchange, params: string[]) => Promise<void>} Handler */

const UPLOADS = '^/buckets/([^/]+)/objects/([^/]+)/uploads'

/** @type {import('../router.js').RouteEntry<{ api: Api, handler: Handler }>[]} */
const ROUTES = [
  { method: 'POST', pattern: new RegExp(`${UPLOADS}$`), api: 'init', handler: initParts },
  { method: 'PUT', pattern: new RegExp(`${UPLOADS}/([^/]+)/([^/]+)$`), api: 'part', handler: uploadPart },
  { method: 'GET', pattern: new RegExp(`${UPLOADS}/([^/]+)$`), api: 'list', handler: listParts },
  { method: 'POST', pattern: new RegExp(`${UPLOADS}/([^/]+)$`), api: 'complete', handler: completeParts },
  { method: 'DELETE', pattern: new RegExp(`${UPLOADS}/([^/]+)$`), api: 'abort', handler: abortUpload },
  { method: 'POST', pattern: /^\/mkblk\/([^/]+)$/, api: 'mkblk', handler: makeBlock },
  { method: 'POST', pattern: /^\/bput\/([^/]+)\/([^/]+)$/, api: 'bput', handler: putChunk },
  { method: 'POST', pattern: /^\/mkfile\/(.+)$/, api: 'mkfile', handler: makeFile },
  { method: 'POST', pattern: /^\/$/, api: 'form', handler: formUpload },
  { method: 'GET', pattern: /^\/v4\/query$/, api: 'query', handler: queryRegions },
  { method: 'PUT', pattern: /^\/_bench\/sink$/, api: 'sink', handler: sink },
  { method: 'POST', pattern: /^\/_bench\/sink$/, api: 'sink', handler: sink },
  { method: 'GET', pattern: /^\/_bench\/sink$/, api: 'sink', handler: sinkTotal },
]

/**
 * @param {string} method
 * @param {string} path
 * @returns {{ api: Api, handler: Handler, params: string[] }}
 */
export function findRoute(method, path) {
  if (method === 'OPTIONS') return { api: 'preflight', handler: preflight, params: [] }
  const match = matchRoute(ROUTES, method, path)
  return match ? { ...match.entry, params: match.params } : { api: 'other', handler: notFound, params: [] }
}

/** @type {Handler} */
async function notFound() {
  throw new KodoError(404, 'no such api')
}
