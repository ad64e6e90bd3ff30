import { computeDigest } from '../hashing/compute-digest.js'
import { sha1Js } from '../utils/sha1-js.js'
import { sha1With } from '../utils/sha1.js'
import { sparkMd5, type Md5Engine, type Md5Factory } from '../hashing/md5.js'
import type { HashAnswerMessage, HashJobMessage } from './messages.js'
import { hashWasmMd5 } from '../hashing/wasm-md5.js'

/** The JavaScript SHA-1 comes along where WebCrypto is missing: a worker file imports nothing. */
const workerSha1 = (bytes: Uint8Array<ArrayBuffer>) => sha1With(bytes, async () => sha1Js)

/**
 * The body of a hashing worker: answers every job with its digest. MD5 by hash-wasm unless the job
 * asks for spark-md5 or WebAssembly cannot be compiled here; then by spark-md5, and every answer
 * says why (`md5Fallback`), so the pool can tell the app.
 */
export function serveDigests(): void {
  // The project's lib includes DOM, which types `self` as a Window.
  const scope = self as unknown as DedicatedWorkerGlobalScope
  const answer = (message: HashAnswerMessage, transfer: Transferable[] = []) => scope.postMessage(message, transfer)
  /** Why WebAssembly failed here, once it has: it is not tried again. */
  let wasmFailure: string | undefined
  const md5Engine = (engine: Md5Engine): Md5Factory => async () => {
    if (engine === 'hash-wasm' && wasmFailure === undefined) {
      try {
        return await hashWasmMd5()
      } catch (error) {
        wasmFailure = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      }
    }
    return sparkMd5()
  }
  scope.onmessage = async ({ data }: MessageEvent<HashJobMessage>) => {
    try {
      const digest = await computeDigest(data.blob, data.request, { createMd5: md5Engine(data.md5Engine), sha1: workerSha1 })
      const md5Fallback = data.md5Engine === 'hash-wasm' && data.request.md5 ? wasmFailure : undefined
      // Moves the SHA-1 buffers instead of copying them.
      answer({ id: data.id, digest, ...(md5Fallback !== undefined && { md5Fallback }) }, digest.sha1Blocks?.map((block) => block.buffer) ?? [])
    } catch (error) {
      answer({ id: data.id, error: error instanceof Error ? error.message : String(error) })
    }
  }
}
