// @ts-check
// Region query (§6): `GET /v4/query?ak=&bucket=`, no authentication.
import { KodoError } from '../errors.js'
/** @typedef {import('../exchange.js').Exchange} Exchange */

/** @type {(ex: Exchange) => Promise<void>} */
export async function queryRegions(ex) {
  const bucket = ex.url.searchParams.get('bucket')
  if (!ex.url.searchParams.get('ak') || !bucket) throw new KodoError(400, 'ak and bucket are required')
  ex.note({ bucket })
  if (!ex.state.buckets.has(bucket)) throw new KodoError(631, 'no such bucket')
  const regions = [[ex.state.host], ...ex.state.extraRegions]
  await ex.json(200, { hosts: regions.map((upHosts, i) => region(`local-z${i}`, upHosts)) })
}

/**
 * One region entry. Clients require all seven services, each with `domains`, and `up.old` as an array.
 * The other services point at the region's first up host: it is the same server.
 * @param {string} id
 * @param {string[]} upHosts host:port, as clients reach them.
 */
function region(id, upHosts) {
  const service = { domains: upHosts.slice(0, 1) }
  return {
    region: id,
    ttl: 86400,
    up: { domains: upHosts, old: [] },
    io: service,
    uc: service,
    rs: service,
    rsf: service,
    api: service,
    s3: { ...service, region_alias: id },
  }
}
