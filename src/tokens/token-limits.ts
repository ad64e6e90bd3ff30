import { UploadError } from '../errors.js'
import { parseUploadToken, type TokenSource, type UploadTokenContext } from './upload-token.js'

/** The policy of the token an upload will use (asked of the provider once, shared with the upload's requests); undefined when it cannot be read. */
export async function tokenPolicy(tokens: TokenSource, ctx: UploadTokenContext, signal?: AbortSignal): Promise<Record<string, unknown> | undefined> {
  const token = await tokens.get(ctx, signal)
  try {
    return parseUploadToken(token).policy
  } catch {
    return undefined // the server rejects such a token before storing anything
  }
}

/**
 * Kodo checks a token's `fsizeLimit` and `fsizeMin` only once the whole file has arrived (a multi-part upload:
 * at its final call), so a file the token refuses is refused here, before its first byte is sent.
 */
export function checkSizeLimits(policy: Record<string, unknown> | undefined, size: number | undefined): void {
  if (size === undefined) return // a stream: the server's 413 tells
  const { fsizeLimit, fsizeMin } = policy ?? {}
  if (typeof fsizeLimit === 'number' && size > fsizeLimit) {
    throw new UploadError('invalid-input', `The file is ${size} bytes; the upload token allows at most ${fsizeLimit} (its fsizeLimit).`)
  }
  if (typeof fsizeMin === 'number' && size < fsizeMin) {
    throw new UploadError('invalid-input', `The file is ${size} bytes; the upload token requires at least ${fsizeMin} (its fsizeMin).`)
  }
}

/** Asks for the upload's token and checks its size limits against `size`. */
export async function checkTokenLimits(
  ctx: { tokens: TokenSource; bucket: string },
  params: { objectName?: string; signal?: AbortSignal },
  size: number | undefined,
): Promise<void> {
  checkSizeLimits(await tokenPolicy(ctx.tokens, { bucket: ctx.bucket, objectName: params.objectName }, params.signal), size)
}
