import { UploadError } from '../errors.js'
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
 * The hashing code is a chunk of its own, loaded at the first digest: pages whose workers run never fetch it.
 */
export class MainThreadHasher implements Hasher {
  readonly hashing: HashingMode = { kind: 'main-thread', reason: 'MainThreadHasher was chosen', confirmed: true }

  async digest(blob: Blob, request: DigestRequest, signal?: AbortSignal): Promise<Digest> {
    const { computeDigest } = await import('./compute-digest.js').catch((cause: unknown) => {
      throw new UploadError('local-io', 'The main-thread hashing code could not be loaded.', { cause })
    })
    return computeDigest(blob, request, { signal, betweenChunks: yieldToEventLoop })
  }
}
