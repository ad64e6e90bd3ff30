import type { RequestCallbacks } from '../http/callbacks.js'
import type { HttpClient } from '../http/client.js'
import { toEndpoints, type Endpoints } from '../http/endpoints.js'
import type { Hasher } from '../hashing/hasher.js'
import type { ResumableRecorder } from '../recorders/recorder.js'
import type { TokenSource } from '../tokens/upload-token.js'
import type { WarningCallback } from '../warnings.js'
import type { ObjectParams, ScopeKey } from './object-params.js'
import type { RegionResolver } from './region-resolver.js'

/** What every uploader of one manager shares: made by the manager, given to each uploader it makes. */
export interface UploaderContext {
  http: HttpClient
  tokens: TokenSource
  bucket: string
  useHttps: boolean
  accessKey: () => Promise<string>
  regions: RegionResolver
  hasher: Hasher
  recorder: ResumableRecorder
  warn: WarningCallback
  /** The key a fixed token's scope allows, if it names one. */
  scope?: ScopeKey
}

/** The regions one upload may use: the params' own up endpoints, or the bucket's regions. */
export async function regionsForUpload(ctx: UploaderContext, params: ObjectParams, callbacks?: RequestCallbacks): Promise<Endpoints[]> {
  if (params.upEndpoints) return [toEndpoints(params.upEndpoints, [], ctx.useHttps)]
  return ctx.regions.regions({ accessKey: ctx.accessKey, bucket: ctx.bucket, signal: params.signal, callbacks })
}
