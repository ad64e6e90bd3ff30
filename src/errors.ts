import { showValue } from './utils/value-kind.js'

/** What went wrong, coarse enough to act on. */
export type UploadErrorKind =
  | 'status' // the server answered with an error status
  | 'network' // no response at all: offline, DNS, CORS, connection reset
  | 'timeout' // a request made no progress for too long
  | 'aborted' // the caller's AbortSignal fired
  | 'callback' // a user callback threw
  | 'parse' // a response body was not the JSON we expected
  | 'malicious-response' // the response contradicts what we sent (md5, hash, size)
  | 'integrity' // the stored object's hash differs from the one computed locally
  | 'local-io' // the source could not be read (file changed, stream errored)
  | 'invalid-input' // the caller asked for something impossible (empty key, empty V2 source, ...)
  | 'no-region' // no up endpoint could be found for the bucket
  | 'maybe-committed' // the final call's answer was lost and the server may have stored the object (see `key`, `hash`)
  | 'token' // the token provider failed, answered something that is not a token, or did not answer in time

/** What the retry logic decided for an error, after the seed's decision table. */
export type RetryDecision =
  | 'dont-retry'
  | 'retry-request' // same host again, after a backoff
  | 'throttled' // same host again, after a longer backoff
  | 'try-next-server' // next host of the region, after a backoff
  | 'try-alternative-endpoints' // the region's alternative ("old") hosts

export interface UploadErrorOptions {
  statusCode?: number
  reqId?: string
  retryDecision?: RetryDecision
  /** Which Kodo API call failed, e.g. `uploadPart`. */
  api?: string
  /** The part the failed request carried (uploadPart, mkblk). */
  partNumber?: number
  /** The server's `error` text, when it sent one. */
  serverMessage?: string
  /** `maybe-committed`: the key the object would be stored under (absent when the server picks it). */
  key?: string
  /** `maybe-committed`: the object's Kodo hash computed locally (absent when the object hash is not computed). */
  hash?: string
  cause?: unknown
}

/** Marks `error` as saying that the parts a resumed upload relied on are gone (the multi-part uploaders know which answers mean it). */
export function markPartsExpired(error: UploadError): UploadError {
  Object.defineProperty(error, 'partsExpired', { value: true, enumerable: true })
  return error
}

/** The one error type every upload rejects with. */
export class UploadError extends Error {
  override readonly name = 'UploadError'
  readonly kind: UploadErrorKind
  readonly statusCode?: number
  readonly reqId?: string
  readonly retryDecision?: RetryDecision
  readonly api?: string
  readonly partNumber?: number
  readonly serverMessage?: string
  readonly key?: string
  readonly hash?: string
  /** The parts a resumed upload relied on are gone from the server: the upload must start over (set by the multi-part uploaders). */
  readonly partsExpired?: boolean

  constructor(kind: UploadErrorKind, message: string, options: UploadErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.kind = kind
    this.statusCode = options.statusCode
    this.reqId = options.reqId
    this.retryDecision = options.retryDecision
    this.api = options.api
    this.partNumber = options.partNumber
    this.serverMessage = options.serverMessage
    this.key = options.key
    this.hash = options.hash
  }

  /** Whether moving on (next host, next region) may help. */
  get retryable(): boolean {
    return this.retryDecision !== undefined && this.retryDecision !== 'dont-retry'
  }
}

export function isUploadError(error: unknown, kind?: UploadErrorKind): error is UploadError {
  return error instanceof UploadError && (kind === undefined || error.kind === kind)
}

/** The parts a resumed upload relied on are gone: a multi-part uploader tagged the error (`markPartsExpired`). */
export function isPartsExpired(error: unknown): error is UploadError {
  return isUploadError(error, 'status') && error.partsExpired === true
}

/**
 * The error for a value a call cannot take: `what` says what it should be ("upload() takes a File …"),
 * the message adds what it was (`input.files[0]` of an empty file input is `undefined`).
 */
export function invalidInput(what: string, value: unknown): UploadError {
  const bytes = value instanceof ArrayBuffer || ArrayBuffer.isView(value) ? ' (wrap bytes: `new Blob([bytes])`)' : ''
  return new UploadError('invalid-input', `${what}; it was given ${showValue(value)}${bytes}.`)
}

/** A file changed on disk or removed during its upload: its parts would not be one version of it. */
export function fileChangedError(cause?: unknown): UploadError {
  return new UploadError('local-io', 'The file changed or was removed during its upload: pick it again to upload it as it is now.', { cause, retryDecision: 'dont-retry' })
}

/** The error an aborted operation rejects with; keeps the signal's reason as cause. */
export function abortedError(signal?: AbortSignal): UploadError {
  return new UploadError('aborted', 'The upload was aborted.', { cause: signal?.reason })
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortedError(signal)
}
