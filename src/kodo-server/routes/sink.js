// @ts-check
// Benchmark sink: counts body bytes without hashing, storing or a token, to measure the client alone.
import { readBody } from '../body.js'
/** @typedef {import('../exchange.js').Exchange} Exchange */

/** @type {(ex: Exchange) => Promise<void>} */
export async function sink(ex) {
  let size = 0
  await readBody(ex, (chunk) => {
    size += chunk.length
  })
  ex.state.sink.bytes += size
  ex.state.sink.requests++
  await ex.json(200, { size })
}

/** @type {(ex: Exchange) => Promise<void>} */
export async function sinkTotal(ex) {
  await ex.json(200, { total: ex.state.sink.bytes, requests: ex.state.sink.requests })
}
