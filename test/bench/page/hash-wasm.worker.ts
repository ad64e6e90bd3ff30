// A prototype hashing worker with hash-wasm's MD5 in place of spark-md5, speaking the library's worker
// protocol so WorkerHasherPool drives it unchanged. MD5 only: that is all the hashing benchmark asks for.
import { createMD5 } from 'hash-wasm'
import type { HashAnswerMessage, HashJobMessage } from '../../../src/hashing/messages.js'

const CHUNK = 4 << 20
const scope = self as unknown as DedicatedWorkerGlobalScope
const read = (blob: Blob, start: number) => (start < blob.size ? blob.slice(start, start + CHUNK).arrayBuffer() : undefined)

scope.onmessage = async ({ data }: MessageEvent<HashJobMessage>) => {
  let answer: HashAnswerMessage
  try {
    const md5 = await createMD5()
    // Reads chunk i+1 while chunk i is hashed, as the library's worker does.
    let next = read(data.blob, 0)
    for (let start = 0; next; start += CHUNK) {
      const chunk = await next
      next = read(data.blob, start + CHUNK)
      md5.update(new Uint8Array(chunk))
    }
    answer = { id: data.id, digest: { md5: md5.digest('hex') } }
  } catch (error) {
    answer = { id: data.id, error: String(error) }
  }
  scope.postMessage(answer)
}
