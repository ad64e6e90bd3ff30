import type { Digest, DigestRequest } from '../hashing/hasher.js'

/** What the pool posts to a hashing worker: the worker reads the Blob itself. */
export interface HashJobMessage {
  id: number
  blob: Blob
  request: DigestRequest
}

/** What a hashing worker answers: the digest, or why it could not compute it. */
export type HashAnswerMessage = { id: number; digest: Digest } | { id: number; error: string }
