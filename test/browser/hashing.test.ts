import SparkMD5 from 'spark-md5'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { isUploadError } from '../../src/errors.js'
import type { Hasher } from '../../src/hashing/hasher.js'
import { WorkerHasherPool } from '../../src/browser/worker-pool.js'
import { crc32, crc32Update } from '../../src/utils/crc32.js'
import { qetagFromBlocks, qetagFromParts } from '../../src/protocol/qetag.js'
import { MiB } from '../../src/protocol/part-limits.js'

/** `getRandomValues` fills at most 64 KiB per call. */
function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536))
  return bytes
}

function repeated(char: string, size: number): Blob {
  return new Blob([new Uint8Array(size).fill(char.charCodeAt(0))])
}

async function qetagOfParts(hasher: Hasher, parts: Blob[]): Promise<string> {
  const digests = await Promise.all(parts.map((part) => hasher.digest(part, { sha1Blocks: true })))
  return qetagFromParts(
    digests.map((d) => d.sha1Blocks!),
    parts.map((part) => part.size),
  )
}

/** A worker whose module does not even parse: it fails after `new Worker` has returned. */
function brokenWorker(): Worker {
  const url = URL.createObjectURL(new Blob(['export const = ;'], { type: 'text/javascript' }))
  return new Worker(url, { type: 'module' })
}

const pool = new WorkerHasherPool({ workers: 2 })
afterAll(() => pool.dispose())

describe('WorkerHasherPool md5', () => {
  for (const size of [0, 1, 4 * MiB, 37 * MiB]) {
    it(`matches spark-md5 on the main thread for ${size} random bytes`, async () => {
      const bytes = randomBytes(size)
      const expected = SparkMD5.ArrayBuffer.hash(bytes.buffer)
      const digest = await pool.digest(new Blob([bytes]), { md5: true })
      expect(digest).toEqual({ md5: expected })
    })
  }

  it('hashes in live workers, not on the main thread', async () => {
    const fresh = new WorkerHasherPool({ workers: 2 })
    expect(fresh.liveWorkers).toBe(0) // nothing starts before the first digest
    const blob = new Blob([randomBytes(MiB)])
    await Promise.all([fresh.digest(blob, { md5: true }), fresh.digest(blob, { md5: true }), fresh.digest(blob, { md5: true })])
    expect(fresh.liveWorkers).toBe(2)
    expect(fresh.usesMainThread).toBe(false)
    expect(fresh.hashing).toEqual({ kind: 'worker', via: 'file', confirmed: true, md5: 'hash-wasm' })
    fresh.dispose()
    expect(fresh.liveWorkers).toBe(0)
  })
})

describe('crc32', () => {
  it('gives the IEEE check value for "123456789"', async () => {
    const bytes = new TextEncoder().encode('123456789')
    expect(crc32(bytes)).toBe(0xcbf43926)
    expect(crc32Update(crc32(bytes.subarray(0, 4)), bytes.subarray(4))).toBe(0xcbf43926)
    expect(await pool.digest(new Blob([bytes]), { crc32: true })).toEqual({ crc32: 0xcbf43926 })
  })

  it('carries across the 4 MiB read chunks', async () => {
    const bytes = randomBytes(4 * MiB + 3)
    expect((await pool.digest(new Blob([bytes]), { crc32: true })).crc32).toBe(crc32(bytes))
  })
})

describe('qetag from the pool’s block SHA-1s', () => {
  it('empty data', async () => {
    expect(await qetagOfParts(pool, [new Blob([])])).toBe('Fto5o-5ea0sNMlW_75VgGJCv2AcJ')
    expect(await qetagFromBlocks([])).toBe('Fto5o-5ea0sNMlW_75VgGJCv2AcJ')
  })

  it('"etag"', async () => {
    expect(await qetagOfParts(pool, [new Blob(['etag'])])).toBe('FpLiADEaVoALPkdb8tJEJyRTXoe_')
  })

  it('parts "hello" + "world" (part-layout rule)', async () => {
    expect(await qetagOfParts(pool, [new Blob(['hello']), new Blob(['world'])])).toBe('ns56DcSIfBFUENXjdhsJTIvl3Rcu')
  })

  it('4 MiB of "a"', async () => {
    expect(await qetagOfParts(pool, [repeated('a', 4 * MiB)])).toBe('FuwQ-vpd56Izwiom1JHzCIdrQa4_')
  })

  it('4 MiB + 1 of "a", as V1 blocks and as 4 MiB parts', async () => {
    const blob = repeated('a', 4 * MiB + 1)
    const { sha1Blocks } = await pool.digest(blob, { sha1Blocks: true })
    expect(sha1Blocks).toHaveLength(2)
    expect(await qetagFromBlocks(sha1Blocks!)).toBe('lieGn00gWdbfwEIHaUpzu4drHeun')
    expect(await qetagOfParts(pool, [blob.slice(0, 4 * MiB), blob.slice(4 * MiB)])).toBe('lieGn00gWdbfwEIHaUpzu4drHeun')
  })
})

describe('fallback to the main thread', () => {
  const bytes = randomBytes(9 * MiB)
  const blob = new Blob([bytes])
  const expected = SparkMD5.ArrayBuffer.hash(bytes.buffer)

  it('when the Worker constructor throws: same digest, one warning', async () => {
    const onWarning = vi.fn()
    const hasher = new WorkerHasherPool({
      onWarning,
      createWorker: () => {
        throw new DOMException('Refused by Content-Security-Policy', 'SecurityError')
      },
    })
    const [a, b] = await Promise.all([hasher.digest(blob, { md5: true }), hasher.digest(blob, { md5: true, crc32: true })])
    expect(a.md5).toBe(expected)
    expect(b).toEqual({ md5: expected, crc32: crc32(bytes) })
    expect((await hasher.digest(blob, { md5: true })).md5).toBe(expected)
    expect(onWarning).toHaveBeenCalledTimes(1)
    expect(hasher.usesMainThread).toBe(true)
    expect(hasher.liveWorkers).toBe(0)
    expect(hasher.hashing).toMatchObject({ kind: 'main-thread', reason: expect.stringContaining('Content-Security-Policy') })
  })

  it('when the worker fails to start after construction: same digest, one warning', async () => {
    const onWarning = vi.fn()
    const hasher = new WorkerHasherPool({ workers: 2, onWarning, createWorker: brokenWorker })
    const digests = await Promise.all([1, 2, 3].map(() => hasher.digest(blob, { md5: true })))
    expect(digests.map((d) => d.md5)).toEqual([expected, expected, expected])
    expect(onWarning).toHaveBeenCalledTimes(1)
    expect(hasher.usesMainThread).toBe(true)
  })
})

describe('when the worker file cannot be loaded', () => {
  const bytes = randomBytes(5 * MiB + 3)
  const expected = SparkMD5.ArrayBuffer.hash(bytes.buffer)

  it('a 404: starts the workers from the inlined source instead, and says so once', async () => {
    const onWarning = vi.fn()
    const hasher = new WorkerHasherPool({ workers: 2, onWarning, workerUrl: '/no-such-hash.worker.js' })
    const digests = await Promise.all([1, 2, 3].map(() => hasher.digest(new Blob([bytes]), { md5: true })))
    expect(digests.map((d) => d.md5)).toEqual([expected, expected, expected])
    expect(hasher.hashing).toMatchObject({ kind: 'worker', via: 'inline', confirmed: true, reason: expect.stringContaining('could not be loaded') })
    expect(hasher.liveWorkers).toBeGreaterThan(0)
    expect(hasher.usesMainThread).toBe(false)
    expect(onWarning).toHaveBeenCalledTimes(1)
    expect(onWarning.mock.calls[0][0]).toContain('inlined source')
    hasher.dispose()
  })

  it('another origin (the Worker constructor throws): the inlined source too', async () => {
    const onWarning = vi.fn()
    const hasher = new WorkerHasherPool({ onWarning, workerUrl: 'https://cdn.example.invalid/hash.worker.js' })
    expect((await hasher.digest(new Blob([bytes]), { md5: true })).md5).toBe(expected)
    expect(hasher.hashing).toMatchObject({ kind: 'worker', via: 'inline', confirmed: true, reason: expect.stringContaining('SecurityError') })
    expect(onWarning).toHaveBeenCalledTimes(1)
    hasher.dispose()
  })

  it('the inlined source runs hash-wasm too, with the same digests', async () => {
    const hasher = new WorkerHasherPool({ onWarning: () => {}, workerUrl: '/no-such-hash.worker.js' })
    expect((await hasher.digest(new Blob([bytes]), { md5: true })).md5).toBe(expected)
    expect(hasher.hashing).toMatchObject({ kind: 'worker', via: 'inline', confirmed: true, md5: 'hash-wasm' })
    hasher.dispose()
  })

  it('the UploadManager reads the same mode from its hasher', async () => {
    const { UploadManager } = await import('../../src/index.js')
    const hasher = new WorkerHasherPool({ onWarning: () => {}, workerUrl: '/no-such-hash.worker.js' })
    const manager = new UploadManager({ uploadToken: async () => 'unused', bucket: 'b', hasher })
    await hasher.digest(new Blob([bytes]), { md5: true })
    expect(manager.hashing).toEqual(hasher.hashing)
    hasher.dispose()
  })
})

describe('abort', () => {
  const blob = new Blob([randomBytes(37 * MiB)])

  it('rejects at once when the signal is already aborted', async () => {
    const error = await pool.digest(blob, { md5: true }, AbortSignal.abort()).catch((e: unknown) => e)
    expect(isUploadError(error, 'aborted')).toBe(true)
  })

  it('rejects running and queued jobs, and the pool keeps working', async () => {
    const one = new WorkerHasherPool({ workers: 1 })
    const controller = new AbortController()
    const running = one.digest(blob, { md5: true }, controller.signal).catch((e: unknown) => e)
    const queued = one.digest(blob, { md5: true }, controller.signal).catch((e: unknown) => e)
    await new Promise((resolve) => setTimeout(resolve, 20))
    controller.abort()
    expect(isUploadError(await running, 'aborted')).toBe(true)
    expect(isUploadError(await queued, 'aborted')).toBe(true)
    expect(one.liveWorkers).toBe(0) // the busy worker was terminated
    const small = randomBytes(1000)
    expect((await one.digest(new Blob([small]), { md5: true })).md5).toBe(SparkMD5.ArrayBuffer.hash(small.buffer))
    one.dispose()
  })

  it('rejects on the main-thread fallback too', async () => {
    const hasher = new WorkerHasherPool({ onWarning: () => {}, createWorker: () => { throw new Error('no workers') } })
    const controller = new AbortController()
    const pending = hasher.digest(blob, { md5: true }, controller.signal).catch((e: unknown) => e)
    controller.abort()
    expect(isUploadError(await pending, 'aborted')).toBe(true)
  })
})

describe('the MD5 engines', () => {
  it('hash-wasm (the default) gives the same digests as spark-md5, in workers', async () => {
    const blob = new Blob([randomBytes(9 * MiB + 5)])
    const wasm = new WorkerHasherPool()
    const spark = new WorkerHasherPool({ md5: 'spark-md5' })
    const request = { md5: true, sha1Blocks: true, crc32: true }
    const [a, b] = await Promise.all([wasm.digest(blob, request), spark.digest(blob, request)])
    expect(a).toEqual(b)
    expect(wasm.hashing.md5).toBe('hash-wasm')
    expect(spark.hashing.md5).toBe('spark-md5')
    wasm.dispose()
    spark.dispose()
  })

  it('where WebAssembly cannot be compiled, the workers use spark-md5 and the pool says so once', async () => {
    // What a CSP without 'wasm-unsafe-eval' does to the worker: every compile is refused.
    const workerModule = new URL('../../src/browser/hash.worker.ts', import.meta.url).href
    const refuse = `const refused = () => Promise.reject(new WebAssembly.CompileError('refused by the test'))
      WebAssembly.compile = WebAssembly.instantiate = refused`
    const refusing = URL.createObjectURL(new Blob([refuse], { type: 'text/javascript' }))
    // Static imports run in order, and the worker's onmessage is set before any message is handled.
    const worker = `import ${JSON.stringify(refusing)}\nimport ${JSON.stringify(workerModule)}`
    const url = URL.createObjectURL(new Blob([worker], { type: 'text/javascript' }))
    const onWarning = vi.fn()
    const hasher = new WorkerHasherPool({ workers: 2, onWarning, createWorker: () => new Worker(url, { type: 'module' }) })
    const bytes = randomBytes(5 * MiB + 1)
    const digests = await Promise.all([1, 2, 3].map(() => hasher.digest(new Blob([bytes]), { md5: true })))
    expect(digests.map((d) => d.md5)).toEqual(Array(3).fill(SparkMD5.ArrayBuffer.hash(bytes.buffer)))
    expect(hasher.hashing).toMatchObject({ kind: 'worker', via: 'custom', md5: 'spark-md5', reason: expect.stringContaining('refused by the test') })
    expect(onWarning).toHaveBeenCalledTimes(1)
    expect(onWarning.mock.calls[0][0]).toContain('wasm-unsafe-eval')
    hasher.dispose()
  })
})

describe('block SHA-1s, gathered from 1 MiB reads', () => {
  it('equal WebCrypto over each 4 MiB block', async () => {
    const bytes = randomBytes(13 * MiB + 7)
    const { sha1Blocks } = await pool.digest(new Blob([bytes]), { sha1Blocks: true })
    const expected = []
    for (let start = 0; start < bytes.length; start += 4 * MiB) expected.push(new Uint8Array(await crypto.subtle.digest('SHA-1', bytes.subarray(start, start + 4 * MiB))))
    expect(sha1Blocks).toEqual(expected)
  })
})

describe('idle workers', () => {
  it('are stopped after idleTimeout, and started again by the next job', async () => {
    const pool = new WorkerHasherPool({ idleTimeout: 50 })
    const blob = new Blob([randomBytes(1000)])
    const first = await pool.digest(blob, { md5: true })
    expect(pool.liveWorkers).toBeGreaterThan(0)
    await vi.waitFor(() => expect(pool.liveWorkers).toBe(0), { timeout: 2000 })
    expect(await pool.digest(blob, { md5: true })).toEqual(first)
    pool.dispose()
  })
})
