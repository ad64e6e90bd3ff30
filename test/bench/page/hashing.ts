// Hashing alone: MD5 throughput of the library's hashers (hash-wasm, the default, and spark-md5, its fallback), on the picked file.
// The runner times one hasher at a time, so it can read the CPU each one costs.
import { MainThreadHasher, WorkerHasherPool, type DigestRequest, type Hasher } from '../../../src/index.js'

const SLICE = 4 << 20
/** Jobs in flight, as with 4 upload lanes: each lane waits for its part's digest. */
const LANES = 4

interface HashConfig {
  hasher: Hasher & { dispose?(): void }
  request: DigestRequest
}

function configs(workerCounts: number[]): Map<string, HashConfig> {
  const md5 = { md5: true }
  return new Map([
    ['library MainThreadHasher', { hasher: new MainThreadHasher(), request: md5 }],
    ...workerCounts.map((workers): [string, HashConfig] => [`library WorkerHasherPool, ${workers} worker(s)`, { hasher: new WorkerHasherPool({ workers }), request: md5 }]),
    // What an upload with the object-hash check asks of the default pool.
    ['library WorkerHasherPool default size, MD5 + SHA-1 blocks', { hasher: new WorkerHasherPool(), request: { md5: true, sha1Blocks: true } }],
    ...workerCounts.map((workers): [string, HashConfig] => [
      `library WorkerHasherPool, spark-md5 (the fallback), ${workers} worker(s)`,
      { hasher: new WorkerHasherPool({ workers, md5: 'spark-md5' }), request: md5 },
    ]),
  ])
}

/** MB/s of hashing `blob` in 4 MiB slices, LANES at a time. */
async function measure(config: HashConfig, blob: Blob): Promise<number> {
  const started = performance.now()
  let next = 0
  const lane = async () => {
    while (next < blob.size) {
      const start = next
      next += SLICE
      await config.hasher.digest(blob.slice(start, start + SLICE), config.request)
    }
  }
  await Promise.all(Array.from({ length: LANES }, lane))
  return blob.size / 1e6 / ((performance.now() - started) / 1000)
}

let hashers = new Map<string, HashConfig>()

/** Creates every hasher and starts its workers; returns their names. */
export async function setUpHashers(file: Blob, workerCounts: number[]): Promise<string[]> {
  hashers = configs(workerCounts)
  for (const config of hashers.values()) await measure(config, file.slice(0, LANES * SLICE))
  return [...hashers.keys()]
}

export const hashOnce = (name: string, blob: Blob) => measure(hashers.get(name)!, blob)

export function disposeHashers(): void {
  for (const config of hashers.values()) config.hasher.dispose?.()
  hashers.clear()
}
