import { invalidInput, UploadError } from '../errors.js'
import { HttpClient } from '../http/client.js'
import type { Connectivity } from '../http/connectivity.js'
import { checkHosts, toEndpoints } from '../http/endpoints.js'
import type { FetchLike } from '../http/transport.js'
import type { Hasher, HashingMode } from '../hashing/hasher.js'
import type { ResumableRecorder } from '../recorders/recorder.js'
import { fixedTokenSource, parseUploadToken, providerTokenSource, type UploadTokenContext, type UploadTokenProvider } from '../tokens/upload-token.js'
import { consoleWarning, type WarningCallback } from '../warnings.js'
import { RegionResolver } from './region-resolver.js'
import type { UploaderContext } from './uploader-context.js'

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
  /** Told about problems that do not fail the upload (records not saved, workers unavailable); default: `console.warn`. */
  onWarning?: WarningCallback
}

/** The platform's adapters, which the core is given (the public `UploadManager` defaults them to the browser's). */
export type UploadAdapters = Required<Pick<UploadManagerOptions, 'fetch' | 'connectivity' | 'hasher' | 'recorder'>>

const contexts = new WeakMap<UploadManagerCore, UploaderContext>()

/** What `manager` shares with its uploaders: for the uploaders, the queue and the public entry, kept out of the public types. */
export function contextOf(manager: UploadManagerCore): UploaderContext {
  const context = contexts.get(manager)
  if (!context) throw new UploadError('invalid-input', 'Uploaders are made from an upload manager: pass an UploadManager or LeanUploadManager made with `new`.')
  return context
}

/**
 * Holds the token, endpoints and the adapters it is given, shared by every uploader made from it, and
 * makes no uploader itself: an app that constructs only the uploaders it uses (`new AutoUploader(manager, …)`)
 * bundles only those. `BaseUploadManager` adds the factories.
 */
export class UploadManagerCore {
  constructor(options: UploadManagerOptions & UploadAdapters) {
    const { uploadToken } = options
    if (typeof uploadToken !== 'function' && (typeof uploadToken !== 'string' || uploadToken === '')) {
      throw invalidInput('`uploadToken` is a token or a function that resolves to one', uploadToken)
    }
    if (options.upEndpoints !== undefined) checkHosts('upEndpoints', options.upEndpoints)
    if (options.ucEndpoints !== undefined) checkHosts('ucEndpoints', options.ucEndpoints)
    const fixedToken = typeof options.uploadToken === 'string' ? parseUploadToken(options.uploadToken) : undefined
    const bucket = options.bucket ?? fixedToken?.bucket
    if (!bucket) throw new UploadError('invalid-input', 'No bucket: pass `bucket` when the upload token comes from a provider.')
    const useHttps = options.useHttps ?? true
    const http = new HttpClient(options)
    const tokens =
      typeof options.uploadToken === 'string' ? fixedTokenSource(options.uploadToken) : providerTokenSource(options.uploadToken, { timeout: options.stallTimeout })
    const context: UploadTokenContext = { bucket }
    contexts.set(this, {
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
      hasher: options.hasher,
      recorder: options.recorder,
      warn: options.onWarning ?? consoleWarning,
      scope: fixedToken?.objectName === undefined ? undefined : { key: fixedToken.objectName, prefixal: fixedToken.policy.isPrefixalScope === 1 },
    })
  }

  /** How the manager's hasher hashes now ('worker' or 'main-thread', and why), where the hasher tells. */
  get hashing(): HashingMode | undefined {
    return contextOf(this).hasher.hashing
  }
}
