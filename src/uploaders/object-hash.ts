import { UploadError } from '../errors.js'
import { qetagFromParts } from '../protocol/qetag.js'

/**
 * Compares the server's `hash` with the qetag computed from the SHA-1 of every part's 4 MiB
 * blocks. Skipped when the server sent no hash or some part's blocks were never hashed.
 */
export async function checkObjectHash(result: unknown, blocks: Array<Uint8Array[] | undefined>, sizes: number[]): Promise<void> {
  const serverHash = (result as { hash?: unknown } | null)?.hash
  if (typeof serverHash !== 'string' || blocks.some((digests) => digests === undefined)) return
  const expected = await qetagFromParts(blocks as Uint8Array[][], sizes)
  if (expected !== serverHash) {
    throw new UploadError('integrity', `The stored object's hash ${serverHash} differs from the ${expected} computed from the uploaded bytes.`, {
      retryDecision: 'dont-retry',
    })
  }
}
