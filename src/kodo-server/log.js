// @ts-check
import { preciseNow } from './time.js'
/** @typedef {import('./types.js').LogEntry} LogEntry */
/** @typedef {import('./types.js').Api} Api */

const MAX_ENTRIES = 50_000
const LOGGED_HEADERS = ['content-md5', 'content-length', 'authorization', 'origin']

/** Every non-admin request the server saw, for tests that check what the client sent. */
export class RequestLog {
  /** @type {LogEntry[]} */
  #entries = []
  #nextId = 1

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {URL} url
   * @param {string} reqId
   * @param {Api} api
   * @returns {LogEntry}
   */
  start(req, url, reqId, api) {
    /** @type {LogEntry} */
    const entry = {
      id: this.#nextId++,
      reqId,
      method: req.method ?? '',
      path: url.pathname,
      query: url.search.slice(1),
      api,
      status: null,
      startedAt: preciseNow(),
      endedAt: null,
      bodyBytes: 0,
      headers: loggedHeaders(req.headers),
    }
    this.#entries.push(entry)
    if (this.#entries.length > MAX_ENTRIES) this.#entries.shift()
    return entry
  }

  list() {
    return this.#entries
  }

  clear() {
    this.#entries = []
  }
}

/** @param {import('node:http').IncomingHttpHeaders} headers */
function loggedHeaders(headers) {
  /** @type {Record<string, string>} */
  const picked = {}
  for (const name of LOGGED_HEADERS) {
    const value = headers[name]
    if (typeof value === 'string') picked[name] = name === 'authorization' ? truncate(value) : value
  }
  return picked
}

/** Tokens are long; a prefix is enough to tell them apart. */
const truncate = (/** @type {string} */ text) => (text.length > 48 ? `${text.slice(0, 48)}…` : text)
