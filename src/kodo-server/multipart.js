// @ts-check
// A streaming multipart/form-data parser. Feed it chunks as they arrive; it returns events. A boundary
// may straddle chunks, and part data is passed on without buffering whole parts.
import { KodoError } from './errors.js'

/**
 * @typedef {{ type: 'part', headers: Record<string, string> }
 *   | { type: 'data', data: Buffer }
 *   | { type: 'end' }} MultipartEvent
 */

const CRLF = Buffer.from('\r\n')
const MAX_HEADER_BYTES = 16 * 1024

/**
 * The boundary parameter of a multipart/form-data Content-Type.
 * @param {string | undefined} contentType
 */
export function boundaryOf(contentType) {
  const match = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '')
  if (!match) throw new KodoError(400, 'Content-Type must be multipart/form-data with a boundary')
  return match[1] ?? match[2]
}

export class MultipartParser {
  /** @type {'preamble' | 'delimiter' | 'headers' | 'body' | 'done'} */
  #state = 'preamble'
  // A leading CRLF makes the first delimiter look like all the others: CRLF "--" boundary.
  #buffer = Buffer.from(CRLF)

  /** @param {string} boundary */
  constructor(boundary) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`)
  }

  /**
   * @param {Buffer} chunk
   * @returns {MultipartEvent[]}
   */
  write(chunk) {
    this.#buffer = Buffer.concat([this.#buffer, chunk])
    /** @type {MultipartEvent[]} */
    const events = []
    while (this.#step(events));
    return events
  }

  /** Call when the body has ended; a form without its closing delimiter is an error. */
  end() {
    if (this.#state !== 'done') throw new KodoError(400, 'truncated multipart body')
  }

  /**
   * Consumes what it can of the buffer.
   * @param {MultipartEvent[]} events
   * @returns {boolean} Whether to go on.
   */
  #step(events) {
    switch (this.#state) {
      case 'preamble':
        return this.#seekDelimiter(() => {})
      case 'body':
        return this.#seekDelimiter((data) => data.length > 0 && events.push({ type: 'data', data }), events)
      case 'delimiter':
        return this.#afterDelimiter()
      case 'headers':
        return this.#headers(events)
      case 'done':
        this.#buffer = Buffer.alloc(0)
        return false
    }
  }

  /**
   * Passes on bytes up to the next delimiter. Without one, it keeps a tail that may be its start.
   * @param {(data: Buffer) => unknown} emit
   * @param {MultipartEvent[]} [events] Given inside a part, which the delimiter ends.
   */
  #seekDelimiter(emit, events) {
    const at = this.#buffer.indexOf(this.delimiter)
    if (at < 0) {
      const keep = Math.min(this.#buffer.length, this.delimiter.length - 1)
      emit(this.#buffer.subarray(0, this.#buffer.length - keep))
      this.#buffer = Buffer.from(this.#buffer.subarray(this.#buffer.length - keep))
      return false
    }
    emit(this.#buffer.subarray(0, at))
    events?.push({ type: 'end' })
    this.#buffer = this.#buffer.subarray(at + this.delimiter.length)
    this.#state = 'delimiter'
    return true
  }

  /** After a delimiter: "--" closes the form; otherwise optional padding and CRLF start a part. */
  #afterDelimiter() {
    if (this.#buffer.length < 2) return false
    if (this.#buffer[0] === 0x2d && this.#buffer[1] === 0x2d) {
      this.#state = 'done'
      return true
    }
    const eol = this.#buffer.indexOf(CRLF)
    if (eol < 0) return this.#limit(this.#buffer.length)
    if (this.#buffer.subarray(0, eol).toString('latin1').trim() !== '') {
      throw new KodoError(400, 'malformed multipart delimiter')
    }
    this.#buffer = this.#buffer.subarray(eol + 2)
    this.#state = 'headers'
    return true
  }

  /** @param {MultipartEvent[]} events */
  #headers(events) {
    const empty = this.#buffer.subarray(0, 2).equals(CRLF)
    const end = empty ? 0 : this.#buffer.indexOf('\r\n\r\n')
    if (end < 0) return this.#limit(this.#buffer.length)
    const headerText = this.#buffer.subarray(0, end).toString('utf8')
    this.#buffer = this.#buffer.subarray(end + (empty ? 2 : 4))
    events.push({ type: 'part', headers: parseHeaders(headerText) })
    this.#state = 'body'
    return true
  }

  /** @param {number} pending Bytes waiting for a line end. */
  #limit(pending) {
    if (pending > MAX_HEADER_BYTES) throw new KodoError(400, 'multipart headers too long')
    return false
  }
}

/** @param {string} text */
function parseHeaders(text) {
  /** @type {Record<string, string>} */
  const headers = {}
  for (const line of text.split('\r\n').filter(Boolean)) {
    const colon = line.indexOf(':')
    if (colon < 1) throw new KodoError(400, 'malformed multipart header')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return headers
}

/**
 * `form-data; name="file"; filename="a.txt"` → { name: 'file', filename: 'a.txt' }.
 * @param {string | undefined} value
 * @returns {{ name?: string, filename?: string }}
 */
export function parseDisposition(value) {
  /** @type {Record<string, string>} */
  const params = {}
  for (const [, name, quoted, bare] of (value ?? '').matchAll(/;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
    params[name.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare.trim()
  }
  return params
}
