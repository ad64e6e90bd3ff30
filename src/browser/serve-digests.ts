import { computeDigest } from '../hashing/compute-digest.js'
import type { Md5Factory } from '../hashing/md5.js'
import type { HashAnswerMessage, HashJobMessage } from './messages.js'

/** The body of a hashing worker: answers every job with its digest, using the given MD5 engine. */
export function serveDigests(createMd5: Md5Factory): void {
  // The project's lib includes DOM, which types `self` as a Window.
  const scope = self as unknown as DedicatedWorkerGlobalScope
  const answer = (message: HashAnswerMessage, transfer: Transferable[] = []) => scope.postMessage(message, transfer)
  scope.onmessage = async ({ data }: MessageEvent<HashJobMessage>) => {
    try {
      const digest = await computeDigest(data.blob, data.request, { createMd5 })
      // Moves the SHA-1 buffers instead of copying them.
      answer({ id: data.id, digest }, digest.sha1Blocks?.map((block) => block.buffer) ?? [])
    } catch (error) {
      answer({ id: data.id, error: error instanceof Error ? error.message : String(error) })
    }
  }
}
