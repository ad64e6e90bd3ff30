import type { Digest, DigestRequest } from '../hashing/hasher.js'
import type { Md5Engine } from '../hashing/md5.js'

/** What the pool posts to a hashing worker: the worker reads the Blob itself. */
export interface HashJobMessage {
  id: number
  blob: Blob
  request: DigestRequest
  md5Engine: Md5Engine
}

/**
 * What a hashing worker answers: the digest, or why it could not compute it. `md5Fallback`: why the
 * MD5 came from spark-md5 although hash-wasm was asked for (WebAssembly could not be compiled).
 */
export type HashAnswerMessage = { id: number; digest: Digest; md5Fallback?: string } | { id: number; error: string }
