/**
 * Throughput probe, not a test of speed: how fast WorkerHasherPool hashes a 256 MiB in-memory Blob
 * cut into 4 MiB slices (all submitted at once, like concurrent upload lanes), for several pool sizes.
 * Not matched by the browser project's include; run it on demand with a copy of that project whose
 * include is the `test/bench` folder. Other load on the machine skews the figures a lot.
 */
import { expect, it } from 'vitest'
import type { Hasher, DigestRequest } from '../../src/hashing/hasher.js'
import { MainThreadHasher } from '../../src/hashing/main-thread-hasher.js'
import { WorkerHasherPool } from '../../src/hashing/worker-pool.js'
import { MiB } from '../../src/utils/sizes.js'

const SIZE = 256 * MiB
const SLICE = 4 * MiB
const ROUNDS = 3

function randomBlob(size: number): Blob {
  const chunk = new Uint8Array(MiB)
  const parts: Blob[] = []
  for (let offset = 0; offset < size; offset += MiB) {
    for (let i = 0; i < MiB; i += 65536) crypto.getRandomValues(chunk.subarray(i, i + 65536))
    parts.push(new Blob([chunk]))
  }
  return new Blob(parts)
}

async function hashAll(hasher: Hasher, blob: Blob, request: DigestRequest): Promise<number> {
  const started = performance.now()
  const jobs: Promise<unknown>[] = []
  for (let offset = 0; offset < blob.size; offset += SLICE) jobs.push(hasher.digest(blob.slice(offset, offset + SLICE), request))
  await Promise.all(jobs)
  return blob.size / 1e6 / ((performance.now() - started) / 1000)
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

it('reports MB/s for 1, 2 and 4 workers', { timeout: 600_000 }, async () => {
  const blob = randomBlob(SIZE)
  const requests: Array<[string, DigestRequest]> = [
    ['md5', { md5: true }],
    ['md5+sha1Blocks', { md5: true, sha1Blocks: true }],
  ]
  const hashers: Array<[string, () => Hasher & { dispose?(): void }]> = [
    ['1 worker', () => new WorkerHasherPool({ workers: 1 })],
    ['2 workers', () => new WorkerHasherPool({ workers: 2 })],
    ['4 workers', () => new WorkerHasherPool({ workers: 4 })],
    ['main thread', () => new MainThreadHasher()],
  ]
  const rows: string[] = [`hardwareConcurrency=${navigator.hardwareConcurrency}, ${SIZE / MiB} MiB in ${SLICE / MiB} MiB slices, median of ${ROUNDS} (runs)`]
  for (const [label, request] of requests) {
    for (const [name, create] of hashers) {
      const hasher = create()
      await hashAll(hasher, blob.slice(0, 32 * MiB), request) // warm-up: starts the workers
      const runs: number[] = []
      // Alternating rounds would mix pools; a fresh warm pool per configuration keeps them comparable.
      for (let round = 0; round < ROUNDS; round++) runs.push(await hashAll(hasher, blob, request))
      hasher.dispose?.()
      rows.push(`${label.padEnd(15)} ${name.padEnd(12)} ${median(runs).toFixed(0).padStart(5)} MB/s  (${runs.map((r) => r.toFixed(0)).join(', ')})`)
    }
  }
  console.log(rows.join('\n'))
  expect(rows.length).toBeGreaterThan(1)
})
