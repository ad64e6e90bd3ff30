import type { Digest } from '../hashing/hasher.js'
import { qetagFromBlocks } from '../protocol/qetag.js'

/** A part the server lists that the record missed: reused only once the local bytes prove to be the same. */
export interface ListedOnServer {
  size: number
  etag: string
  md5?: string
}

/** The server's etag is the qetag of the part's bytes (and its md5, when listed, their MD5): both must match the local slice. */
export async function provenByBytes(listed: ListedOnServer, digest: Digest): Promise<boolean> {
  if (!digest.sha1Blocks || (listed.md5 !== undefined && listed.md5.toLowerCase() !== digest.md5)) return false
  return (await qetagFromBlocks(digest.sha1Blocks).catch(() => undefined)) === listed.etag
}

/**
 * The size to cut at `offset` so that the slice can line up with a listed part (its bytes then decide
 * whether it is reused): the listed size, when it is a size the protocol allows there.
 */
export function listedSizeAt(listed: ListedOnServer | undefined, offset: number, total: number | undefined, normalize: (size: number) => number): number | undefined {
  if (!listed || total === undefined || offset + listed.size > total) return undefined
  return listed.size === normalize(listed.size) || offset + listed.size === total ? listed.size : undefined
}
