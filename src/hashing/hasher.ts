import type { Md5Engine } from './md5.js'

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
  /** How it hashes now, where it can tell. */
  readonly hashing?: HashingMode
}

/** How a hasher hashes, for an app to log or show (`WorkerHasherPool.hashing`, `UploadManager.hashing`). */
export interface HashingMode {
  /** 'worker' while workers hash (or will: none has failed); 'main-thread' once no worker could start. */
  kind: 'worker' | 'main-thread'
  /**
   * How the workers start: 'file' (the worker file, or `workerUrl`), 'inline' (a `blob:` URL of
   * the library's inlined source, after the file failed), 'custom' (`createWorker`).
   */
  via?: 'file' | 'inline' | 'custom'
  /** Why the pool is not on its first choice; absent while it is. */
  reason?: string
  /**
   * The workers' MD5 engine, once they have computed an MD5: 'hash-wasm', or 'spark-md5' when asked
   * for or when WebAssembly could not be compiled (then `reason` says why). Absent on the main thread
   * (always spark-md5).
   */
  md5?: Md5Engine
  /** Whether a digest has been computed this way yet. */
  confirmed: boolean
}
