import type { Digest } from '../hashing/hasher.js'
import { qetagFromBlocks } from '../utils/qetag.js'

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
