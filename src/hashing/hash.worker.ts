import { computeDigest } from './compute-digest.js'
import type { HashAnswerMessage, HashJobMessage } from './messages.js'

// The project's lib includes DOM, which types `self` as a Window.
const scope = self as unknown as DedicatedWorkerGlobalScope

function answer(message: HashAnswerMessage, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer)
}

scope.onmessage = async ({ data }: MessageEvent<HashJobMessage>) => {
  try {
    const digest = await computeDigest(data.blob, data.request)
    // Moves the SHA-1 buffers instead of copying them.
    answer({ id: data.id, digest }, digest.sha1Blocks?.map((block) => block.buffer) ?? [])
  } catch (error) {
    answer({ id: data.id, error: error instanceof Error ? error.message : String(error) })
  }
}
