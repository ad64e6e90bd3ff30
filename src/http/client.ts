import ky, { type KyInstance } from 'ky'
import { UploadError, abortedError, isUploadError, type RetryDecision } from '../errors.js'
import type { TokenSource, UploadTokenContext } from '../tokens/upload-token.js'
import { backoffDelay, delay } from '../utils/delay.js'
import type { KodoApi, RequestCallbacks, RequestInfo } from './callbacks.js'
import { WentOfflineError, type Connectivity } from './connectivity.js'
import type { Endpoints } from './endpoints.js'
import { LinkRate } from './link-rate.js'
import { decideForStatus } from './retry.js'
import { describeStatus } from './status-text.js'
import { StallError, type FetchLike, type TransportOptions } from './transport.js'
import { anySignal } from '../utils/any-signal.js'

export interface HttpClientOptions {
  /** The transport under ky; the browser default sends through XMLHttpRequest for upload progress. */
  fetch: FetchLike
  /** Attempts on one host for retryable errors before moving to the next host (the seed's 2 retries). */
  retriesPerHost?: number
  /** Base of the exponential backoff, in ms (the seed's 100 ms). */
  backoffBase?: number
  /** Abort a request that made no progress for this long (ms); 0 disables. Default 30 s. */
  stallTimeout?: number
  /** While offline, requests wait for the network instead of failing (default: never offline). */
  connectivity?: Connectivity
}

export type RequestBody = Blob | FormData | string

/** One logical Kodo API call; the client tries it on every host of `endpoints` as the retry table says. */
export interface KodoCall {
  api: KodoApi
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  endpoints: Endpoints
  path: string
  query?: Record<string, string>
  headers?: Record<string, string>
  /** The part this request carries (uploadPart, mkblk), for callbacks and errors. */
  partNumber?: number
  /** The body, or a function of the token for bodies that carry it (form upload). */
  body?: RequestBody | ((token: string) => RequestBody)
  /** How the upload token travels: the `Authorization: UpToken` header, the body, or not at all. */
  auth?: { tokens: TokenSource; ctx: UploadTokenContext; in: 'header' | 'body' }
  /** Safe to send twice: transport and parse errors are retried (the seed's `Idempotent::Always`). */
  idempotent: boolean
  /** While the device is offline, wait for the network (default) or fail at once (a cancel's abort: nobody waits for it). */
  waitForNetwork?: boolean
  /** Told when each attempt's request starts and ends, and the bytes of its body sent. */
  progress?: BodyProgress
  /** Told about every failed attempt that will be retried (the scheduler slows down on throttling). */
  onRetry?: (error: UploadError) => void
  signal?: AbortSignal
  callbacks?: RequestCallbacks
}

/** What a call tells about its body as it goes (the uploaders' progress). */
export interface BodyProgress {
  /** An attempt's request starts (`true`) or has ended, answered or not (`false`). */
  sending(running: boolean): void
  /** Bytes of the running attempt's body the transport reports sent. */
  sent(bytes: number): void
}

export interface KodoResponse<T = unknown> {
  status: number
  headers: Headers
  reqId?: string
  body: T
}

/** Sends Kodo API calls through ky, with per-host retries, backoff, host failover and token renewal. */
export class HttpClient {
  readonly #ky: KyInstance
  readonly #retriesPerHost: number
  readonly #backoffBase: number
  readonly #stallTimeout: number
  readonly #connectivity: Connectivity | undefined
  /** The pace of this client's recent bodies (stall allowances, progress estimates). */
  readonly linkRate = new LinkRate()

  constructor(options: HttpClientOptions) {
    this.#connectivity = options.connectivity
    const transport = options.fetch
    // Called as a plain function: ky would call it as a method of its options, which `window.fetch` refuses.
    const unbound = (request: Request, init?: TransportOptions) => transport(request, init)
    this.#ky = ky.create({ retry: 0, timeout: false, throwHttpErrors: false, fetch: unbound as typeof fetch })
    this.#retriesPerHost = options.retriesPerHost ?? 2
    this.#backoffBase = options.backoffBase ?? 100
    this.#stallTimeout = options.stallTimeout ?? 30_000
  }

  async call<T = unknown>(call: KodoCall): Promise<KodoResponse<T>> {
    const hosts = [...call.endpoints.preferred]
    if (hosts.length === 0) throw new UploadError('no-region', `No up endpoint to send ${call.api} to.`, { api: call.api })
    const draft = await this.#draft(call, hosts[0]!)
    let token = call.auth ? await call.auth.tokens.get(call.auth.ctx, call.signal) : undefined
    let renewedToken = false
    let usedAlternatives = false
    let lastError: UploadError | undefined
    let retries = 0
    const tellRetry = (error: UploadError, delayMs: number, waitingForNetwork: boolean) =>
      call.callbacks?.retry.emit({
        api: call.api,
        partNumber: call.partNumber,
        error,
        attempt: waitingForNetwork ? retries : ++retries,
        maxAttempts: hosts.length * (this.#retriesPerHost + 1) - 1,
        delayMs,
        waitingForNetwork,
      })
    hostLoop: for (let hostIndex = 0; hostIndex < hosts.length; hostIndex++) {
      for (let attempt = 0; ; attempt++) {
        try {
          const response = await this.#attempt<T>(call, draft, hosts[hostIndex]!, token)
          await call.callbacks?.responseOk.emit({ ...response, api: call.api, method: call.method, url: draft.url.href })
          return response
        } catch (error) {
          lastError = toUploadError(error, call)
        }
        if (lastError.kind === 'aborted' || lastError.kind === 'callback') throw lastError
        const connectivity = this.#connectivity
        const outage = lastError.cause instanceof WentOfflineError || (lastError.kind === 'network' && connectivity?.isOffline())
        if (connectivity && outage && call.waitForNetwork !== false) {
          // An outage is not the host's fault: wait for the network, then try the same host again (not counted as an attempt).
          await tellRetry(lastError, 0, true)
          await connectivity.waitUntilOnline(call.signal)
          attempt--
          continue
        }
        if (lastError.statusCode === 401 && call.auth && token !== undefined && !renewedToken) {
          renewedToken = true
          try {
            token = await call.auth.tokens.refresh(call.auth.ctx, token, call.signal)
            continue
          } catch (refreshError) {
            if (isUploadError(refreshError, 'aborted')) throw refreshError
            lastError = withCause(refreshError, lastError)
          }
        }
        const decision = lastError.retryDecision ?? 'dont-retry'
        if (decision === 'dont-retry') break hostLoop
        if (decision === 'try-alternative-endpoints' && !usedAlternatives) {
          usedAlternatives = true
          hosts.push(...call.endpoints.alternative)
        }
        const lastHost = hostIndex === hosts.length - 1
        // On the last host, "try the next server" means trying this one again: one blip must not fail an upload.
        const sameHostDecision = decision === 'retry-request' || decision === 'throttled' || lastHost
        const retrySameHost = sameHostDecision && attempt < this.#retriesPerHost
        if (!retrySameHost && lastHost) break hostLoop
        call.onRetry?.(lastError)
        const base = decision === 'throttled' ? this.#backoffBase * 5 : this.#backoffBase
        const wait = backoffDelay(attempt + 1, base)
        await tellRetry(lastError, wait, false)
        await delay(wait, call.signal)
        if (!retrySameHost) continue hostLoop
      }
    }
    await call.callbacks?.responseError.emit(lastError!)
    throw lastError!
  }

  /** Builds the request once per call, so before-request callbacks run once, not per retry. */
  async #draft(call: KodoCall, firstHost: string): Promise<RequestInfo> {
    const url = new URL(firstHost + call.path)
    for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value)
    const draft: RequestInfo = { api: call.api, method: call.method, url, headers: new Headers(call.headers), partNumber: call.partNumber }
    await call.callbacks?.beforeRequest.emit(draft)
    return draft
  }

  async #attempt<T>(call: KodoCall, draft: RequestInfo, host: string, token: string | undefined): Promise<KodoResponse<T>> {
    if (call.signal?.aborted) throw abortedError(call.signal)
    const url = new URL(draft.url.pathname + draft.url.search, host + '/')
    const headers = new Headers(draft.headers)
    if (token !== undefined && call.auth?.in === 'header') headers.set('Authorization', `UpToken ${token}`)
    const body = typeof call.body === 'function' ? call.body(token ?? '') : call.body
    // Aborted by this request itself, with the reason it then fails with: a progress callback that threw
    // (it must fail the upload), or the device going offline.
    const local = new AbortController()
    const transport: TransportOptions = {
      payload: body,
      stallTimeout: this.#stallTimeout,
      linkRate: this.linkRate,
      onBodyProgress: call.progress
        ? (sent) => {
            try {
              call.progress!.sent(sent)
            } catch (error) {
              local.abort(error)
            }
          }
        : undefined,
    }
    const signal = call.signal ? anySignal([call.signal, local.signal]) : local.signal
    // Going offline stops a request that is safe to send again at once: it waits for the network, not for its stall timeout.
    const wentOffline = () => local.abort(new WentOfflineError(`${call.api} was stopped: the device went offline.`))
    const stopListening = call.idempotent ? this.#connectivity?.onOffline?.(wentOffline) : undefined
    let response: Response
    call.progress?.sending(true)
    try {
      response = await this.#ky(url, { method: call.method, headers, body, signal, ...transport } as Parameters<KyInstance>[1])
    } catch (error) {
      throw local.signal.aborted ? local.signal.reason : error
    } finally {
      call.progress?.sending(false)
      stopListening?.()
    }
    return parseResponse<T>(response, call)
  }
}

async function parseResponse<T>(response: Response, call: KodoCall): Promise<KodoResponse<T>> {
  const reqId = response.headers.get('X-Reqid') ?? undefined
  const status = response.status
  const text = await response.text()
  if (status >= 200 && status < 300) {
    try {
      return { status, headers: response.headers, reqId, body: parseObject(text) as T }
    } catch (cause) {
      throw new UploadError('parse', `${call.api}: the server answered ${status} with a body that is not a JSON object.`, {
        statusCode: status,
        reqId,
        api: call.api,
        partNumber: call.partNumber,
        cause,
        retryDecision: call.idempotent ? 'retry-request' : 'dont-retry',
      })
    }
  }
  const serverMessage = readErrorText(text)
  throw new UploadError('status', describeStatus(call.api, status, serverMessage), {
    statusCode: status,
    reqId,
    api: call.api,
    partNumber: call.partNumber,
    serverMessage,
    retryDecision: decideForStatus(status),
  })
}

/** Every Kodo answer is a JSON object (an empty body stands for `{}`); `null`, a list or a number is not. */
function parseObject(text: string): object {
  const parsed: unknown = text === '' ? {} : JSON.parse(text)
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError(`expected a JSON object, got ${text.slice(0, 40)}`)
  return parsed
}

function readErrorText(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: unknown }
    return typeof parsed.error === 'string' ? parsed.error : undefined
  } catch {
    return undefined
  }
}

function toUploadError(error: unknown, call: KodoCall): UploadError {
  if (error instanceof UploadError) return error
  if (call.signal?.aborted) return abortedError(call.signal)
  const { api, partNumber } = call
  // The request may have reached the server and taken effect: a call that is not idempotent is never sent blindly again.
  const blind = (decision: RetryDecision): RetryDecision => (call.idempotent ? decision : 'dont-retry')
  if (error instanceof StallError) {
    return new UploadError('timeout', `${api} made no progress for too long and was aborted.`, {
      api,
      partNumber,
      cause: error,
      retryDecision: blind('retry-request'),
    })
  }
  const decision = blind('try-next-server')
  return new UploadError('network', `${api} could not reach the server (offline, blocked by CORS, or the connection was reset).`, {
    api,
    partNumber,
    cause: error,
    retryDecision: decision,
  })
}

function withCause(error: unknown, cause: UploadError): UploadError {
  if (!(error instanceof UploadError)) return cause
  return new UploadError(error.kind, error.message, {
    statusCode: error.statusCode ?? cause.statusCode,
    reqId: cause.reqId,
    api: cause.api,
    partNumber: cause.partNumber,
    serverMessage: cause.serverMessage,
    retryDecision: 'dont-retry',
    cause,
  })
}
