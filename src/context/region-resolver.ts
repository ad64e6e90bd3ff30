import type { RequestCallbacks } from '../http/callbacks.js'
import type { HttpClient } from '../http/client.js'
import type { Endpoints } from '../http/endpoints.js'
import { queryRegions } from '../protocol/region-query.js'

export interface RegionLookup {
  /** Asked only when the region query is needed (with a token provider it costs a token). */
  accessKey: () => Promise<string>
  bucket: string
  signal?: AbortSignal
  callbacks?: RequestCallbacks
}

/** Finds a bucket's regions: fixed up endpoints, or the region query with an in-memory cache honouring `ttl`. */
export class RegionResolver {
  readonly #http: HttpClient
  readonly #fixed: Endpoints | undefined
  readonly #ucEndpoints: Endpoints
  readonly #useHttps: boolean
  readonly #cache = new Map<string, { regions: Endpoints[]; expiresAt: number }>()

  constructor(http: HttpClient, options: { fixed?: Endpoints; ucEndpoints: Endpoints; useHttps: boolean }) {
    this.#http = http
    this.#fixed = options.fixed
    this.#ucEndpoints = options.ucEndpoints
    this.#useHttps = options.useHttps
  }

  /** Every region, the bucket's own first. */
  async regions(lookup: RegionLookup): Promise<Endpoints[]> {
    if (this.#fixed) return [this.#fixed]
    const accessKey = await lookup.accessKey()
    const cacheKey = `${accessKey}\n${lookup.bucket}`
    const cached = this.#cache.get(cacheKey)
    if (cached && cached.expiresAt > Date.now()) return cached.regions
    const { regions, ttl } = await queryRegions(this.#http, { ...lookup, accessKey, ucEndpoints: this.#ucEndpoints, useHttps: this.#useHttps })
    this.#cache.set(cacheKey, { regions, expiresAt: Date.now() + ttl * 1000 })
    return regions
  }
}

