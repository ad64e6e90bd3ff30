import type { UploadError } from '../errors.js'
import type { RequestCallbacks } from '../http/callbacks.js'
import type { HttpClient } from '../http/client.js'
import type { Endpoints } from '../http/endpoints.js'
import type { TokenSource } from '../tokens/upload-token.js'

/** What every call of one upload shares: client, token, bucket and key, hosts, abort signal, callbacks. */
export interface UploadTarget {
  http: HttpClient
  tokens: TokenSource
  bucket: string
  objectName?: string
  endpoints: Endpoints
  signal?: AbortSignal
  callbacks?: RequestCallbacks
  /** Told about each failed attempt that will be retried. */
  onRetry?: (error: UploadError) => void
}

/** The upload token travels in the `Authorization: UpToken` header (V1 and V2). */
export function headerAuth(target: UploadTarget) {
  return { tokens: target.tokens, ctx: { bucket: target.bucket, objectName: target.objectName }, in: 'header' as const }
}

/** The fields of a call that come straight from the target. */
export function targetFields(target: UploadTarget) {
  return { endpoints: target.endpoints, signal: target.signal, callbacks: target.callbacks, onRetry: target.onRetry }
}
