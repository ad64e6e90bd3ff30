import { UploadError } from '../errors.js'
import { HttpClient } from '../http/client.js'
import { browserConnectivity, type Connectivity } from '../http/connectivity.js'
import { toEndpoints } from '../http/endpoints.js'
import type { FetchLike } from '../http/transport.js'
import { xhrFetch } from '../http/xhr-fetch.js'
import type { Hasher, HashingMode } from '../hashing/hasher.js'
import { WorkerHasherPool } from '../hashing/worker-pool.js'
import type { ResumableRecorder } from '../recorders/recorder.js'
import { IndexedDbResumableRecorder } from '../recorders/indexeddb-recorder.js'
import { AutoUploader, type AutoUploaderOptions } from '../auto/auto-uploader.js'
import { FormUploader, type FormUploaderOptions } from '../uploaders/form-uploader.js'
import type { MultiPartsUploaderOptions } from '../uploaders/multi-parts-base.js'
import { MultiPartsV1Uploader } from '../uploaders/v1-uploader.js'
import { MultiPartsV2Uploader } from '../uploaders/v2-uploader.js'
import { RegionResolver } from './region-resolver.js'
import {
  fixedTokenSource,
  parseUploadToken,
  providerTokenSource,
  type TokenSource,
  type UploadTokenContext,
  type UploadTokenProvider,
} from './upload-token.js'

/** Qiniu's public region-query hosts, the one browsers can reach first (see the protocol notes). */
export const DEFAULT_UC_ENDPOINTS = ['api.qiniu.com', 'uc.qiniuapi.com', 'kodo-config.qiniuapi.com']

export interface UploadManagerOptions {
  /** A fixed token, or a provider asked whenever a token is needed (first request, and after a 401). */
  uploadToken: string | UploadTokenProvider
  /** Required with a provider; read from a fixed token's scope otherwise. */
  bucket?: string
  /** Up hosts to use instead of the region query, e.g. `['http://127.0.0.1:9400']`. */
  upEndpoints?: string[]
  /** Region query hosts (default: Qiniu's public UC hosts). */
  ucEndpoints?: string[]
  /** Default true; endpoints that carry a scheme keep it. */
  useHttps?: boolean
  /** The access key for the region query; read from the token when not given. */
  accessKey?: string
  /** The transport under ky (default: XMLHttpRequest, for upload progress on HTTP/1.1). */
  fetch?: FetchLike
  /** Hashing (default: a pool of Web Workers running spark-md5 and WebCrypto). */
  hasher?: Hasher
  /** Where resumable records go by default (default: IndexedDB). */
  recorder?: ResumableRecorder
  /** Attempts per host for retryable errors before trying the next host (default 2 retries). */
  retriesPerHost?: number
  /** Base of the exponential backoff between attempts, in ms (default 100). */
  backoffBase?: number
  /** Abort and retry a request that made no progress for this long, in ms (default 30 000); a token provider that takes longer fails with kind `token`. */
  stallTimeout?: number
  /** Tells when the device is offline, so requests wait instead of failing (default: the browser's online/offline events). */
  connectivity?: Connectivity
  /** Told about problems that do not fail the upload (records not saved, workers unavailable). */
  onWarning?: (message: string, cause?: unknown) => void
}

/** What every uploader of one manager shares. */
export interface UploaderContext {
  http: HttpClient
  tokens: TokenSource
  bucket: string
  useHttps: boolean
  accessKey: () => Promise<string>
  regions: RegionResolver
  hasher: Hasher
  recorder: ResumableRecorder
  warn: (message: string, cause?: unknown) => void
}

/** The entry point: holds the token, endpoints and shared adapters, and makes uploaders. */
export class UploadManager {
  readonly context: UploaderContext

  constructor(options: UploadManagerOptions) {
    const fixedToken = typeof options.uploadToken === 'string' ? parseUploadToken(options.uploadToken) : undefined
    const bucket = options.bucket ?? fixedToken?.bucket
    if (!bucket) throw new UploadError('invalid-input', 'No bucket: pass `bucket` when the upload token comes from a provider.')
    const useHttps = options.useHttps ?? true
    const http = new HttpClient({
      fetch: options.fetch ?? xhrFetch,
      retriesPerHost: options.retriesPerHost,
      backoffBase: options.backoffBase,
      stallTimeout: options.stallTimeout,
      connectivity: options.connectivity ?? browserConnectivity(),
    })
    const tokens =
      typeof options.uploadToken === 'string'
        ? fixedTokenSource(options.uploadToken)
        : providerTokenSource(options.uploadToken, { timeout: options.stallTimeout })
    const warn = options.onWarning ?? ((message: string, cause?: unknown) => console.warn(`[qiniu-upload-manager] ${message}`, cause ?? ''))
    const context: UploadTokenContext = { bucket }
    this.context = {
      http,
      tokens,
      bucket,
      useHttps,
      accessKey: async () => options.accessKey ?? fixedToken?.accessKey ?? parseUploadToken(await tokens.get(context)).accessKey,
      regions: new RegionResolver(http, {
        fixed: options.upEndpoints ? toEndpoints(options.upEndpoints, [], useHttps) : undefined,
        ucEndpoints: toEndpoints(options.ucEndpoints ?? DEFAULT_UC_ENDPOINTS, [], useHttps),
        useHttps,
      }),
      hasher: options.hasher ?? new WorkerHasherPool({ onWarning: warn }),
      recorder: options.recorder ?? new IndexedDbResumableRecorder({ onWarning: warn }),
      warn,
    }
  }

  /** How the manager's hasher hashes now ('worker' or 'main-thread', and why), where the hasher tells. */
  get hashing(): HashingMode | undefined {
    return this.context.hasher.hashing
  }

  formUploader(options?: FormUploaderOptions): FormUploader {
    return new FormUploader(this.context, options)
  }

  /** A V2 (default) or V1 multi-part uploader; drive it with a scheduler. */
  multiPartsUploader(options: { version?: 'v1' | 'v2'; recorder?: ResumableRecorder } & MultiPartsUploaderOptions = {}): MultiPartsV1Uploader | MultiPartsV2Uploader {
    const { version, recorder = this.context.recorder, ...rest } = options
    return version === 'v1' ? new MultiPartsV1Uploader(this.context, recorder, rest) : new MultiPartsV2Uploader(this.context, recorder, rest)
  }

  autoUploader(options: AutoUploaderOptions = {}): AutoUploader {
    return new AutoUploader(this, options)
  }
}
