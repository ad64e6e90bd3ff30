// @ts-check
import { STATUS_CODES } from 'node:http'

/** An error the server answers with `{"error": message, "code": status}` and `status` on the status line. */
export class KodoError extends Error {
  /**
   * @param {number} status
   * @param {string} [message] Defaults to the usual Kodo message for the status.
   */
  constructor(status, message = defaultMessage(status)) {
    super(message)
    this.status = status
  }
}

/** @type {Record<number, string>} Messages real up hosts send (or would plausibly send) for Kodo's own codes. */
const KODO_MESSAGES = {
  401: 'expired token',
  406: 'crc32 not match',
  579: 'callback failed',
  599: 'server operation failed',
  608: 'file modified',
  612: 'no such uploadId',
  614: 'file exists',
  631: 'no such bucket',
  701: 'invalid ctx',
}

/**
 * @param {number} status
 * @returns {string}
 */
export function defaultMessage(status) {
  return KODO_MESSAGES[status] ?? STATUS_CODES[status]?.toLowerCase() ?? `error ${status}`
}
