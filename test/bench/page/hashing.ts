// Hashing alone: MD5 throughput of the library's hashers and of a hash-wasm worker, on the picked file.
import { MainThreadHasher, WorkerHasherPool, type DigestRequest, type Hasher } from '../../../src/index.ts'

const SLICE = 4 << 20
/** Jobs in flight, as with 4 upload lanes: each lane waits for its part's digest. */
const LANES = 4

interface HashConfig {
  name: string
  hasher: Hasher & { dispose?(): void }
  request: DigestRequest
}

const hashWasmWorker = () => new Worker(new URL('./hash-wasm.worker.ts', import.meta.url), { type: 'module' })

function configs(workerCounts: number[]): HashConfig[] {
  const md5 = { md5: true }
  return [
    { name: 'spark-md5, main thread', hasher: new MainThreadHasher(), request: md5 },
    ...workerCounts.map((workers) => ({ name: `spark-md5, ${workers} worker(s)`, hasher: new WorkerHasherPool({ workers }), request: md5 })),
    // What an upload with the object-hash check asks of the default pool.
    { name: 'spark-md5 + SHA-1 blocks, default pool', hasher: new WorkerHasherPool(), request: { md5: true, sha1Blocks: true } },
    ...workerCounts.map((workers) => ({
      name: `hash-wasm, ${workers} worker(s)`,
      hasher: new WorkerHasherPool({ workers, createWorker: hashWasmWorker }),
      request: md5,
    })),
  ]
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

/** Per configuration, MB/s of each round; rounds alternate the configurations. Workers are warmed up first. */
export async function hashBench(file: Blob, rounds: number, workerCounts: number[]): Promise<Record<string, number[]>> {
  const all = configs(workerCounts)
  const results: Record<string, number[]> = Object.fromEntries(all.map((config) => [config.name, []]))
  for (const config of all) await measure(config, file.slice(0, LANES * SLICE))
  for (let round = 0; round < rounds; round++) {
    for (const config of all) results[config.name]!.push(await measure(config, file))
  }
  for (const config of all) config.hasher.dispose?.()
  return results
}
