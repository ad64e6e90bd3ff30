// @ts-check
// One request and its answer: the context handlers work with, and the only place responses are written.
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { drain } from './body.js'
import { KodoError } from './errors.js'
import { commonHeaders, newReqId } from './headers.js'
import { preciseNow } from './time.js'
/** @typedef {import('./types.js').LogEntry} LogEntry */

export class Exchange {
  /** @type {LogEntry | null} */
  entry = null
  bodyBytes = 0
  /** Aborted when the connection turns out to be unusable mid-body (e.g. a body shorter than Content-Length). */
  bodyAbort = new AbortController()
  /** @type {import('./throttle.js').Throttle | null} A per-request limit set by a fault. */
  throttle = null
  /** @type {{ at: number, run: () => Promise<unknown> } | null} A fault that acts once `at` body bytes have arrived. */
  midBody = null
  /** A fault: cut successful JSON answers in half. */
  truncateJson = false
  /**
   * A fault acting on the answer once the handler has run: `reset` drops the connection instead of
   * answering, `stall` holds the answer back for `seconds`.
   * @type {{ action: 'reset' | 'stall', seconds: number } | null}
   */
  answerFault = null
  /** A fault: handle the request (it takes effect), then close the connection instead of answering. */
  dropAnswer = false

  /**
   * @param {import('./state.js').State} state
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  constructor(state, req, res) {
    this.state = state
    this.req = req
    this.res = res
    this.url = new URL(req.url ?? '/', 'http://kodo.invalid')
    this.reqId = newReqId()
    for (const [name, value] of Object.entries(commonHeaders(this.reqId))) res.setHeader(name, value)
    res.on('close', () => this.#ended(0))
  }

  /**
   * Adds request details to the log entry.
   * @param {Partial<LogEntry>} fields
   */
  note(fields) {
    if (this.entry) Object.assign(this.entry, fields)
  }

  /**
   * @param {number} status
   * @param {unknown} value
   */
  json(status, value) {
    return this.jsonText(status, JSON.stringify(value))
  }

  /**
   * @param {number} status
   * @param {string} text
   */
  jsonText(status, text) {
    const body = status === 200 && this.truncateJson ? text.slice(0, Math.floor(text.length / 2)) : text
    return this.send(status, body, 'application/json')
  }

  /**
   * Answers with a Kodo error body; anything but a KodoError is a bug in this server.
   * @param {unknown} error
   */
  fail(error) {
    if (!(error instanceof KodoError)) console.error('kodo server bug:', error)
    const kodoError = error instanceof KodoError ? error : new KodoError(500, `internal error: ${error}`)
    return this.json(kodoError.status, { error: kodoError.message, code: kodoError.status })
  }

  /**
   * @param {number} status
   * @param {string | Buffer} body
   * @param {string} contentType
   */
  async send(status, body, contentType) {
    await drain(this)
    if (this.answerFault?.action === 'reset') return void this.req.socket.destroy()
    if (this.answerFault?.action === 'stall') await sleep(this.answerFault.seconds * 1000)
    const { res } = this
    if (res.headersSent || res.destroyed || this.req.socket.destroyed) return
    if (this.dropAnswer) return this.#dropAnswer(status, contentType, Buffer.byteLength(body))
    // After a framing error the parser cannot find the next request on this connection.
    if (this.bodyAbort.signal.aborted) res.setHeader('Connection', 'close')
    this.#ended(status)
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) })
    res.end(body)
  }

  /**
   * Streams bytes (admin read-back).
   * @param {import('node:stream').Readable} stream
   * @param {number} size
   */
  async sendStream(stream, size) {
    await drain(this)
    this.#ended(200)
    this.res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size })
    // A failure half-way can only cut the connection; pipeline does that.
    await pipeline(stream, this.res).catch(() => {})
  }

  /**
   * The answer is lost on the way: its headers go out (so the client cannot take the request for one
   * that never reached a server, as browsers do when a reused connection closes silently), its body never does.
   * @param {number} status
   * @param {string} contentType
   * @param {number} length
   */
  #dropAnswer(status, contentType, length) {
    this.#ended(0)
    this.res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': length })
    this.res.flushHeaders()
    setTimeout(() => this.req.socket.destroy(), 50)
  }

  /**
   * Closes the log entry; status 0 means the connection ended without an answer.
   * @param {number} status
   */
  #ended(status) {
    if (this.entry && this.entry.endedAt === null) this.note({ status, endedAt: preciseNow() })
  }
}
