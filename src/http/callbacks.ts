import { UploadError } from '../errors.js'

/** The Kodo API a request belongs to. */
export type KodoApi =
  | 'form'
  | 'initParts'
  | 'uploadPart'
  | 'completeParts'
  | 'listParts'
  | 'abortMultipartUpload'
  | 'mkblk'
  | 'mkfile'
  | 'query'

/** A request about to be sent; callbacks may edit `headers` and `url.searchParams`. */
export interface RequestInfo {
  api: KodoApi
  method: string
  url: URL
  headers: Headers
  /** The part this request carries (uploadPart, mkblk). */
  partNumber?: number
}

/** The final response of one API call, after the retries. */
export interface ResponseInfo {
  api: KodoApi
  method: string
  url: string
  status: number
  headers: Headers
  reqId?: string
  body: unknown
}

/** A failed attempt that will be tried again, told before the wait. */
export interface RetryInfo {
  api: KodoApi
  /** The part the request carries (uploadPart, mkblk). */
  partNumber?: number
  /** Why the attempt failed. */
  error: UploadError
  /** 1 for the first retry of this call. */
  attempt: number
  /** Retries this call may still get on this host and the hosts after it, at most. */
  maxAttempts: number
  /** ms until the next attempt; 0 while waiting for the network. */
  delayMs: number
  /** The device is offline: the request waits for the network instead of counting an attempt. */
  waitingForNetwork: boolean
}

type Listener<T> = (value: T) => void | Promise<void>

/**
 * Callbacks run in registration order; one that throws (or rejects) stops the upload with a
 * `callback` UploadError, which is never retried.
 */
export class CallbackList<T> {
  readonly #listeners: Listener<T>[] = []

  add(listener: Listener<T>): void {
    this.#listeners.push(listener)
  }

  addAll(other: CallbackList<T>): void {
    this.#listeners.push(...other.#listeners)
  }

  async emit(value: T): Promise<void> {
    for (const listener of this.#listeners) {
      try {
        await listener(value)
      } catch (cause) {
        throw callbackError(cause)
      }
    }
  }

  /**
   * The same, for hot paths (progress ticks) where awaiting would slow the transfer. A listener's
   * rejection arrives after this returned: it goes to `onLateFailure`.
   */
  emitSync(value: T, onLateFailure: (error: UploadError) => void): void {
    for (const listener of this.#listeners) {
      try {
        const result = listener(value)
        if (result instanceof Promise) result.catch((cause: unknown) => onLateFailure(callbackError(cause)))
      } catch (cause) {
        throw callbackError(cause)
      }
    }
  }
}

function callbackError(cause: unknown): UploadError {
  return new UploadError('callback', `A callback threw: ${describe(cause)}`, { cause, retryDecision: 'dont-retry' })
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause)
}

/** The request-level callbacks an HTTP call reports to. */
export interface RequestCallbacks {
  beforeRequest: CallbackList<RequestInfo>
  responseOk: CallbackList<ResponseInfo>
  responseError: CallbackList<UploadError>
  /** Each failed attempt that will be retried (never awaited: retries must not wait on listeners). */
  retry: CallbackList<RetryInfo>
}

export function requestCallbacks(): RequestCallbacks {
  return { beforeRequest: new CallbackList(), responseOk: new CallbackList(), responseError: new CallbackList(), retry: new CallbackList() }
}
