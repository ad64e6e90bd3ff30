import { describe, expect, it, vi } from 'vitest'
import { AlwaysMultiParts, MemoryResumableRecorder, WorkerHasherPool, type Digest, type DigestRequest, type Hasher } from '../../src/index.js'
import { clearLog, localManager, md5Of, randomBlob, requestLog, storedObject, uniqueKey } from './helpers.js'

const MiB = 1 << 20

/** The pool's digests, with those of `size`-byte Blobs held until `release()`; `asked` lists every digest asked for, in order. */
function gatedHasher(size: number) {
  const pool = new WorkerHasherPool()
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  const asked: number[] = []
  const hasher: Hasher = {
    async digest(blob: Blob, request: DigestRequest, signal?: AbortSignal): Promise<Digest> {
      asked.push(blob.size)
      if (blob.size === size) await released
      return pool.digest(blob, request, signal)
    },
  }
  return { hasher, asked, release, dispose: () => pool.dispose() }
}

const apis = async () => (await requestLog()).filter((entry) => entry.method !== 'OPTIONS').map((entry) => entry.api)

describe('the first request goes out at once', () => {
  it('V2: initParts goes out while the first part is still being hashed; the part waits for its digest', async () => {
    const gate = gatedHasher(4 * MiB)
    const blob = new File([randomBlob(9 * MiB)], 'first.bin', { lastModified: 1 })
    const key = uniqueKey('first')
    await clearLog()
    const uploader = (await localManager({ hasher: gate.hasher, recorder: new MemoryResumableRecorder() })).autoUploader({ policy: new AlwaysMultiParts() })
    const upload = uploader.upload(blob, { objectName: key })
    // The source key samples a few KiB (WebCrypto, or the hasher for less than a part): nothing waits for a part's digest.
    await vi.waitFor(async () => expect(await apis()).toContain('init'), { timeout: 10_000 })
    expect(gate.asked).toContain(4 * MiB) // the first part's hash began
    expect(await apis()).not.toContain('part')
    gate.release()
    await upload
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
    gate.dispose()
  })

  it('a resumed upload checks the first part with the digest begun before the record lookup, and hashes it once', async () => {
    const recorder = new MemoryResumableRecorder()
    const blob = new File([randomBlob(6 * MiB)], 'again.bin', { lastModified: 2 })
    const key = uniqueKey('again')
    const pause = new AbortController()
    const first = (await localManager({ recorder })).autoUploader({ policy: new AlwaysMultiParts(), partSize: 2 * MiB, concurrency: 1 })
    first.onPartUploaded(() => pause.abort())
    await first.upload(blob, { objectName: key, signal: pause.signal }).catch(() => {})
    const gate = gatedHasher(-1)
    const resumed = (await localManager({ recorder, hasher: gate.hasher })).autoUploader({ policy: new AlwaysMultiParts(), partSize: 2 * MiB, concurrency: 1 })
    const parts: boolean[] = []
    await resumed.onPartUploaded((part) => void parts.push(part.resumed)).upload(blob, { objectName: key })
    expect(parts[0]).toBe(true)
    expect(gate.asked.filter((size) => size === 2 * MiB)).toHaveLength(3) // each part once: the first by its early digest
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
    gate.dispose()
  })
})
