import { UploadError } from '../errors.js'
import { qetagFromParts } from '../protocol/qetag.js'
import type { WarningCallback } from '../warnings.js'

/**
 * Compares the server's `hash` with the qetag computed from the SHA-1 of every part's 4 MiB blocks.
 * Skipped when some part's blocks were never hashed, and, with a warning, when the answer has no hash
 * (an upload policy whose `returnBody` left it out): the app should know its objects go unchecked.
 */
export async function checkObjectHash(result: unknown, blocks: Array<Uint8Array[] | undefined>, sizes: number[], warn: WarningCallback): Promise<void> {
  const serverHash = (result as { hash?: unknown } | null)?.hash
  if (blocks.some((digests) => digests === undefined)) return
  if (typeof serverHash !== 'string') {
    return warn('The answer has no `hash`, so the stored object was not checked: keep `"hash":"$(etag)"` in the `returnBody`, or pass `checkObjectHash: false`.')
  }
  const expected = await qetagFromParts(blocks as Uint8Array[][], sizes)
  if (expected !== serverHash) {
    throw new UploadError('integrity', `The stored object's hash ${serverHash} differs from the ${expected} computed from the uploaded bytes.`, {
      retryDecision: 'dont-retry',
    })
  }
}
