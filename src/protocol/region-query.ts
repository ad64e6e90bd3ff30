import { UploadError } from '../errors.js'
import type { HttpClient } from '../http/client.js'
import type { RequestCallbacks } from '../http/callbacks.js'
import { toEndpoints, type Endpoints } from '../http/endpoints.js'

export interface QueriedRegions {
  /** The bucket's own region first, then failover regions. */
  regions: Endpoints[]
  /** Seconds the answer may be cached. */
  ttl: number
}

interface QueryAnswer {
  hosts?: RegionAnswer[]
  regions?: RegionAnswer[]
}

interface RegionAnswer {
  ttl?: number
  up?: { domains?: string[]; old?: string[] }
}

/** `GET /v4/query?ak=&bucket=` on the UC hosts: the up hosts of every region of the bucket. */
export async function queryRegions(
  http: HttpClient,
  args: { ucEndpoints: Endpoints; accessKey: string; bucket: string; useHttps: boolean; signal?: AbortSignal; callbacks?: RequestCallbacks },
): Promise<QueriedRegions> {
  const response = await http.call<QueryAnswer>({
    api: 'query',
    method: 'GET',
    endpoints: args.ucEndpoints,
    path: '/v4/query',
    query: { ak: args.accessKey, bucket: args.bucket },
    idempotent: true,
    signal: args.signal,
    callbacks: args.callbacks,
  })
  const answers = response.body.hosts ?? response.body.regions ?? []
  const regions = answers
    .map((region) => toEndpoints(region.up?.domains ?? [], region.up?.old ?? [], args.useHttps))
    .filter((endpoints) => endpoints.preferred.length > 0)
  if (regions.length === 0) {
    throw new UploadError('no-region', `The region query found no up host for bucket "${args.bucket}".`, { api: 'query', reqId: response.reqId })
  }
  return { regions, ttl: Math.min(...answers.map((region) => region.ttl ?? 86_400)) }
}
