// @ts-check
// CORS preflight (§9.2): answered on any path, without a token.
import { preflightHeaders } from '../headers.js'
/** @typedef {import('../exchange.js').Exchange} Exchange */

/** @type {(ex: Exchange) => Promise<void>} */
export async function preflight(ex) {
  for (const [name, value] of Object.entries(preflightHeaders(ex.req.headers['access-control-request-headers']))) {
    ex.res.setHeader(name, value)
  }
  await ex.json(200, {})
}
