import { sha1 } from '../utils/sha1.js'
import { computeDigest } from './compute-digest.js'
import type { Digest, DigestRequest, Hasher, HashingMode } from './hasher.js'

/**
 * Gives the event loop a turn. A MessageChannel task, not setTimeout: timers in background
 * tabs are throttled to one per second, which would stall hashing there.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel()
    port1.onmessage = () => {
      port1.close()
      resolve()
    }
    port2.postMessage(null)
  })
}

/**
 * Hashes on the page's own thread, one 4 MiB chunk per task: the fallback where Workers cannot run.
 * Its code is bundled, not a chunk loaded on demand: the fallback is needed exactly when the network may
 * be gone (a page that went offline before its workers were fetched), and a chunk would fail there too.
 */
export class MainThreadHasher implements Hasher {
  readonly hashing: HashingMode = { kind: 'main-thread', reason: 'MainThreadHasher was chosen', confirmed: true }

  async digest(blob: Blob, request: DigestRequest, signal?: AbortSignal): Promise<Digest> {
    return computeDigest(blob, request, { signal, betweenChunks: yieldToEventLoop, sha1 })
  }
}
