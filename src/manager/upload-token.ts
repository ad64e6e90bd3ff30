import { UploadError } from '../errors.js'
import { urlSafeBase64, urlSafeBase64DecodeText } from '../utils/base64.js'

/** What a token provider is told about the upload it signs for. */
export interface UploadTokenContext {
  bucket: string
  objectName?: string
}

/** Asked for a token before the first request, and again when the server says it expired. */
export type UploadTokenProvider = (ctx: UploadTokenContext) => Promise<string>

/** Hands out tokens and renews a stale one; the HTTP client uses it for every upload request. */
export interface TokenSource {
  get(ctx: UploadTokenContext): Promise<string>
  /** A fresh token after the server rejected `stale`; throws when no fresher one can be had. */
  refresh(ctx: UploadTokenContext, stale: string): Promise<string>
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

/** A token source that asks `provider` and remembers its answer until the server rejects it. */
export function providerTokenSource(provider: UploadTokenProvider): TokenSource {
  const cache = new Map<string, Promise<string>>()
  const keyOf = (ctx: UploadTokenContext) => `${ctx.bucket}\n${ctx.objectName ?? ''}`
  const ask = (ctx: UploadTokenContext) => {
    const pending = provider(ctx)
    cache.set(keyOf(ctx), pending)
    pending.catch(() => cache.delete(keyOf(ctx)))
    return pending
  }
  return {
    get: (ctx) => cache.get(keyOf(ctx)) ?? ask(ctx),
    refresh: async (ctx, stale) => {
      const current = await (cache.get(keyOf(ctx)) ?? ask(ctx))
      const fresh = current === stale ? await ask(ctx) : current
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
