// @ts-check
// Reading request bodies: Content-Length is required, bytes pass the global and per-request throttles
// and the mid-body fault hook, and reading stops when the connection breaks.
import { KodoError } from './errors.js'
/** @typedef {import('./exchange.js').Exchange} Exchange */
/** @typedef {import('./blobs.js').Hasher} Hasher */

/**
 * Upload APIs need Content-Length; a chunked body has none and is refused.
 * @param {Exchange} ex
 * @returns {number}
 */
export function requireContentLength(ex) {
  const value = ex.req.headers['content-length']
  if (value === undefined) throw new KodoError(411, 'Content-Length required')
  return Number(value)
}

/**
 * Reads the rest of the body. The HTTP parser ends the body after exactly Content-Length bytes; a
 * shorter body aborts `ex.bodyAbort` (see server.js).
 * @param {Exchange} ex
 * @param {(chunk: Buffer) => unknown} onChunk Awaited before the next chunk is read.
 * @returns {Promise<void>}
 */
export function readBody(ex, onChunk) {
  const { req } = ex
  const { signal } = ex.bodyAbort
  return new Promise((resolve, reject) => {
    if (req.readableEnded) return resolve()
    if (signal.aborted) return reject(signal.reason)
    if (req.destroyed || req.socket.destroyed) return reject(connectionClosed())
    /** @param {unknown} [error] */
    const settle = (error) => {
      req.off('data', onData).off('end', onEnd).off('close', onClose)
      signal.removeEventListener('abort', onAbort)
      if (error) reject(error)
      else resolve()
    }
    // Pausing stops further chunks, but 'end' (and then 'close') may still come while the last chunk
    // is being handled.
    /** @type {Promise<unknown>} */
    let pending = Promise.resolve()
    let ended = false
    const onEnd = () => {
      ended = true
      pending.then(() => settle(), settle)
    }
    const onClose = () => ended || settle(connectionClosed())
    const onAbort = () => settle(signal.reason)
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      req.pause()
      pending = take(ex, chunk).then(() => onChunk(chunk))
      pending.then(() => req.resume(), settle)
    }
    req.on('data', onData).on('end', onEnd).on('close', onClose)
    signal.addEventListener('abort', onAbort)
    req.resume()
  })
}

const connectionClosed = () => new KodoError(400, 'connection closed before the body was complete')

/**
 * Counts a chunk and waits as the throttles and a mid-body fault say.
 * @param {Exchange} ex
 * @param {Buffer} chunk
 */
async function take(ex, chunk) {
  ex.bodyBytes += chunk.length
  ex.note({ bodyBytes: ex.bodyBytes })
  await ex.state.throttle.take(chunk.length)
  await ex.throttle?.take(chunk.length)
  const hook = ex.midBody
  if (hook && ex.bodyBytes >= hook.at) {
    ex.midBody = null
    await hook.run()
  }
}

/**
 * Streams the body into a new blob, feeding the hashers on the way.
 * @param {Exchange} ex
 * @param {Hasher[]} hashers
 * @returns {Promise<import('./types.js').Segment>}
 */
export async function receiveBlob(ex, hashers) {
  const writer = ex.state.blobs.create(hashers)
  try {
    await readBody(ex, (chunk) => writer.write(chunk))
  } catch (error) {
    await writer.discard()
    throw error
  }
  return writer.finish()
}

/**
 * Reads a small body into memory.
 * @param {Exchange} ex
 * @param {number} limit
 */
export async function readBodyBuffer(ex, limit) {
  /** @type {Buffer[]} */
  const chunks = []
  let size = 0
  await readBody(ex, (chunk) => {
    size += chunk.length
    if (size > limit) throw new KodoError(413, 'request body too large')
    chunks.push(chunk)
  })
  return Buffer.concat(chunks)
}

/**
 * @param {Exchange} ex
 * @param {{ optional?: boolean }} [options] optional: an empty body means `{}`.
 * @returns {Promise<unknown>}
 */
export async function readJson(ex, { optional = false } = {}) {
  const text = (await readBodyBuffer(ex, 1 << 20)).toString('utf8')
  if (optional && text.trim() === '') return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new KodoError(400, 'invalid JSON body')
  }
}

/**
 * Reads and discards what is left of the body, so that an early answer reaches the client as a proper
 * response rather than a broken connection.
 * @param {Exchange} ex
 */
export async function drain(ex) {
  await readBody(ex, () => {}).catch(() => {})
}
