// @ts-check
// What an injected fault does to a request. The pipeline calls `intercept` right before the handler.
import { STATUS_CODES } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { KodoError } from './errors.js'
import { Throttle } from './throttle.js'
/** @typedef {import('./types.js').FaultRule} FaultRule */
/** @typedef {import('./exchange.js').Exchange} Exchange */

/** What a proxy in front of the up host answers: HTML, not Kodo's JSON. */
const htmlError = (/** @type {number} */ status) =>
  `<html><head><title>${status}</title></head><body><h1>${status} ${STATUS_CODES[status] ?? 'Error'}</h1></body></html>\n`

/**
 * Applies a fault.
 * @param {Exchange} ex
 * @param {FaultRule} fault
 * @returns {Promise<boolean>} true when the fault has answered or killed the request: skip the handler.
 */
export async function intercept(ex, fault) {
  const onAnswer = fault.when === 'after-handler' && (fault.action === 'reset' || fault.action === 'stall')
  ex.note({ fault: onAnswer ? `${fault.action}:after-handler` : fault.action })
  if (onAnswer) {
    // The request takes full effect (a complete commits its object); only its answer is lost or late.
    ex.answerFault = { action: fault.action === 'reset' ? 'reset' : 'stall', seconds: fault.seconds ?? 1 }
    return false
  }
  const midBody = fault.when !== undefined && fault.when !== 'before-body' && hasBody(ex.req)
  switch (fault.action) {
    case 'status':
      await ex.fail(new KodoError(fault.status ?? 503, fault.error))
      return true
    case 'non-json':
      await ex.send(fault.status ?? 502, htmlError(fault.status ?? 502), 'text/html')
      return true
    case 'reset':
      if (midBody) {
        atBody(ex, fault, async () => resetMidBody(ex))
        return false
      }
      ex.req.socket.destroy()
      return true
    case 'stall': {
      const stall = () => sleep((fault.seconds ?? 1) * 1000)
      if (midBody) atBody(ex, fault, stall)
      else await stall()
      return false
    }
    case 'throttle':
      ex.throttle = new Throttle(fault.bytesPerSec ?? null)
      return false
    case 'omit-reqid':
      ex.res.removeHeader('X-Reqid')
      return false
    case 'truncated-json':
      ex.truncateJson = true
      return false
    case 'drop-answer': // the handler runs (the request takes effect); the answer's body never arrives
      ex.dropAnswer = true
      return false
  }
}

/** @param {import('node:http').IncomingMessage} req */
function hasBody(req) {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined
}

/**
 * Runs `action` once half of the body has arrived (`during-body`; the first chunk when the length is
 * unknown), or all of it (`after-body`).
 * @param {Exchange} ex
 * @param {FaultRule} fault
 * @param {() => Promise<unknown>} action
 */
function atBody(ex, fault, action) {
  const length = Number(ex.req.headers['content-length'] ?? 0)
  const at = Math.max(1, fault.when === 'after-body' ? length : Math.floor(length / 2))
  ex.midBody = { at, run: action }
}

/** @param {Exchange} ex */
function resetMidBody(ex) {
  ex.req.socket.destroy()
  throw new KodoError(400, 'connection reset by fault')
}
