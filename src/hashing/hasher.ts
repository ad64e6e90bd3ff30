/** Which digests to compute over one Blob. */
export interface DigestRequest {
  /** Lowercase hex MD5 of the bytes (Content-MD5, resume checks). */
  md5?: boolean
  /** SHA-1 of every 4 MiB block, from the start of the Blob (the Kodo qetag's building blocks). */
  sha1Blocks?: boolean
  /** CRC-32 (IEEE), unsigned (form upload's `crc32` field). */
  crc32?: boolean
}

export interface Digest {
  md5?: string
  sha1Blocks?: Uint8Array[]
  crc32?: number
}

/**
 * The hashing seam. The browser default is a pool of Web Workers that read the Blob themselves,
 * so no part is ever hashed (or even copied) on the main thread.
 */
export interface Hasher {
  digest(blob: Blob, request: DigestRequest, signal?: AbortSignal): Promise<Digest>
}
