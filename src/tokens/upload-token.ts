import { UploadError, abortedError, isUploadError, throwIfAborted } from '../errors.js'
import { urlSafeBase64, urlSafeBase64DecodeText } from '../utils/base64.js'
import { withTimeout } from '../utils/delay.js'

/** What a token provider is told about the upload it signs for. */
export interface UploadTokenContext {
  bucket: string
  objectName?: string
}

/** Asked for a token before the first request, and again when the server says it expired. */
export type UploadTokenProvider = (ctx: UploadTokenContext) => Promise<string>

/** Hands out tokens and renews a stale one; the HTTP client uses it for every upload request. */
export interface TokenSource {
  /** A token; rejects with `aborted` as soon as `signal` fires, whatever the provider does. */
  get(ctx: UploadTokenContext, signal?: AbortSignal): Promise<string>
  /** A fresh token after the server rejected `stale`; throws when no fresher one can be had. */
  refresh(ctx: UploadTokenContext, stale: string, signal?: AbortSignal): Promise<string>
}

export interface ParsedUploadToken {
  accessKey: string
  bucket: string
  objectName?: string
  deadline?: number
  policy: Record<string, unknown>
}

/** Reads AK, bucket and deadline from `AK:sign:urlsafeBase64(policy)`. */
export function parseUploadToken(token: string): ParsedUploadToken {
  const segments = token.split(':')
  if (segments.length < 3) {
    throw new UploadError('invalid-input', 'The upload token is malformed: expected "AccessKey:Signature:EncodedPolicy".')
  }
  let policy: Record<string, unknown>
  try {
    policy = JSON.parse(urlSafeBase64DecodeText(segments[segments.length - 1]!)) as Record<string, unknown>
  } catch (cause) {
    throw new UploadError('invalid-input', 'The upload token is malformed: its policy is not Base64-encoded JSON.', { cause })
  }
  const scope = typeof policy.scope === 'string' ? policy.scope : ''
  const colon = scope.indexOf(':')
  return {
    accessKey: segments[0]!,
    bucket: colon < 0 ? scope : scope.slice(0, colon),
    objectName: colon < 0 ? undefined : scope.slice(colon + 1),
    deadline: typeof policy.deadline === 'number' ? policy.deadline : undefined,
    policy,
  }
}

/** A token source for a fixed token: it can never be renewed. */
export function fixedTokenSource(token: string): TokenSource {
  return {
    get: async () => token,
    refresh: async () => {
      throw new UploadError('status', 'The upload token expired or was rejected, and it is a fixed token: pass a token provider to renew it.', {
        statusCode: 401,
        retryDecision: 'dont-retry',
      })
    },
  }
}

export interface ProviderTokenSourceOptions {
  /** A provider that has not answered after this many ms fails with kind `token` (default 30 000; 0: never). */
  timeout?: number
}

/** One call of the provider, shared by every request of its key; `token` is set once it answered. */
interface ProviderCall {
  promise: Promise<string>
  token?: string
}

/**
 * A token source that asks `provider` and remembers its answer until the server rejects it. Only one
 * call per key is in flight: lanes that meet a 401 together share one new token. A call that fails,
 * times out or is left by an aborted upload is forgotten, so the next upload asks again.
 */
export function providerTokenSource(provider: UploadTokenProvider, options: ProviderTokenSourceOptions = {}): TokenSource {
  const timeout = options.timeout ?? 30_000
  const calls = new Map<string, ProviderCall>()
  const keyOf = (ctx: UploadTokenContext) => `${ctx.bucket}\n${ctx.objectName ?? ''}`
  const ask = (ctx: UploadTokenContext): ProviderCall => {
    const key = keyOf(ctx)
    const call: ProviderCall = { promise: askProvider(provider, ctx, timeout) }
    calls.set(key, call)
    call.promise.then(
      (token) => void (call.token = token),
      () => calls.get(key) === call && calls.delete(key),
    )
    return call
  }
  /** Waits for `call`, or stops waiting when `signal` fires; a call still pending then is forgotten. */
  const wait = (ctx: UploadTokenContext, call: ProviderCall, signal?: AbortSignal) =>
    raceSignal(call.promise, signal, () => {
      if (call.token === undefined && calls.get(keyOf(ctx)) === call) calls.delete(keyOf(ctx))
    })
  return {
    get: async (ctx, signal) => {
      throwIfAborted(signal)
      return wait(ctx, calls.get(keyOf(ctx)) ?? ask(ctx), signal)
    },
    refresh: async (ctx, stale, signal) => {
      throwIfAborted(signal)
      const known = calls.get(keyOf(ctx))
      // Decided without awaiting, so lanes that meet the 401 together share the one new call.
      const call = known && known.token !== stale ? known : ask(ctx)
      const fresh = await wait(ctx, call, signal)
      if (fresh === stale) {
        throw new UploadError('status', 'The upload token expired or was rejected, and the token provider returned the same token again.', {
          statusCode: 401,
          retryDecision: 'dont-retry',
        })
      }
      return fresh
    },
  }
}

/** Calls the provider once and turns every way it can fail into a `token` UploadError. */
async function askProvider(provider: UploadTokenProvider, ctx: UploadTokenContext, timeout: number): Promise<string> {
  let token: unknown
  try {
    const asked = Promise.resolve().then(() => provider({ ...ctx }))
    token = await withTimeout(asked, timeout, () => tokenError(`The token provider did not answer within ${timeout} ms.`))
  } catch (cause) {
    if (isUploadError(cause, 'token')) throw cause
    throw tokenError(`The token provider failed: ${cause instanceof Error ? cause.message : String(cause)}`, cause)
  }
  if (typeof token !== 'string' || token === '') {
    throw tokenError(`The token provider returned ${describeValue(token)} instead of an upload token string.`)
  }
  return token
}

function describeValue(value: unknown): string {
  if (value === '') return 'an empty string'
  if (value === undefined || value === null) return String(value)
  return typeof value === 'object' ? 'an object (not the token inside it)' : `a ${typeof value}`
}

function tokenError(message: string, cause?: unknown): UploadError {
  return new UploadError('token', message, { cause, retryDecision: 'dont-retry' })
}

/** `promise`, or an `aborted` rejection as soon as `signal` fires (then `onAbort` runs). */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => void): Promise<T> {
  if (!signal) return promise
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort()
      reject(abortedError(signal))
    }
    if (signal.aborted) return abort()
    signal.addEventListener('abort', abort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}

export interface CredentialSignerOptions {
  accessKey: string
  secretKey: string
  bucket: string
  /** Token lifetime in seconds; default one hour. */
  lifetime?: number
  /** Extra put-policy fields (returnBody, insertOnly, ...). */
  policy?: Record<string, unknown>
}

/**
 * Signs tokens locally with HMAC-SHA1 (WebCrypto). Only for trusted environments (tests, a
 * server, a desktop shell): a page that ships the secret key gives it to every visitor.
 */
export function credentialTokenProvider(options: CredentialSignerOptions): UploadTokenProvider {
  return async ({ bucket, objectName }) => {
    const policy = {
      ...options.policy,
      scope: objectName === undefined ? bucket : `${bucket}:${objectName}`,
      deadline: Math.floor(Date.now() / 1000) + (options.lifetime ?? 3600),
    }
    return signUploadToken(options.accessKey, options.secretKey, policy)
  }
}

/** `AK:urlsafeBase64(HMAC-SHA1(SK, encodedPolicy)):encodedPolicy`. */
export async function signUploadToken(accessKey: string, secretKey: string, policy: object): Promise<string> {
  const encodedPolicy = urlSafeBase64(JSON.stringify(policy))
  const encoder = new TextEncoder()
  const key = await crypto.subtle.importKey('raw', encoder.encode(secretKey), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign'])
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(encodedPolicy)))
  return `${accessKey}:${urlSafeBase64(signature)}:${encodedPolicy}`
}
