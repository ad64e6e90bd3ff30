import { afterEach, describe, expect, it } from 'vitest'
import {
  AlwaysMultiParts,
  AlwaysSinglePart,
  FixedDataPartitionProvider,
  FixedThresholdResumablePolicy,
  MultiplePartitionsResumablePolicy,
  type UploadProgress,
  type UploadedPart,
} from '../../src/index.js'
import { addFaults, clearFaults, clearLog, localManager, md5Of, randomBlob, rejection, requestLog, storedObject, uniqueKey } from './helpers.js'

const MiB = 1 << 20

function streamOf(blob: Blob, chunk = 256 * 1024): ReadableStream<Uint8Array> {
  let offset = 0
  return new ReadableStream({
    async pull(controller) {
      if (offset >= blob.size) return controller.close()
      controller.enqueue(new Uint8Array(await blob.slice(offset, offset + chunk).arrayBuffer()))
      offset += chunk
    },
  })
}

async function apisUsed(): Promise<string[]> {
  return [...new Set((await requestLog()).map((entry) => entry.api))]
}

describe('AutoUploader', () => {
  afterEach(async () => {
    await clearFaults()
    await clearLog()
  })

  for (const [label, size, expected] of [
    ['an empty file', 0, 'form'],
    ['exactly 4 MiB', 4 * MiB, 'form'],
    ['4 MiB + 1', 4 * MiB + 1, 'part'],
  ] as const) {
    it(`sends a Blob of ${label} by ${expected === 'form' ? 'form upload' : 'multi-part V2'}`, async () => {
      await clearLog()
      const blob = randomBlob(size)
      const key = uniqueKey('auto')
      await (await localManager()).autoUploader().upload(blob, { objectName: key })
      expect(await apisUsed()).toContain(expected)
      expect((await storedObject(key)).md5).toBe(await md5Of(blob))
    })
  }

  it('peeks a short stream and sends it by form upload', async () => {
    await clearLog()
    const blob = randomBlob(3 * MiB + 5)
    const key = uniqueKey('stream-form')
    await (await localManager()).autoUploader().upload(streamOf(blob), { objectName: key, fileName: 'short.bin' })
    expect(await apisUsed()).toEqual(['form'])
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  })

  it('streams a long stream in parts without knowing its size', async () => {
    await clearLog()
    const blob = randomBlob(13 * MiB + 77)
    const key = uniqueKey('stream-parts')
    const totals = new Set<number | undefined>()
    const uploader = (await localManager()).autoUploader().onUploadProgress((p) => totals.add(p.totalBytes))
    await uploader.upload(streamOf(blob), { objectName: key })
    expect(await apisUsed()).toEqual(expect.arrayContaining(['init', 'part', 'complete']))
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
    expect([...totals]).toEqual([undefined])
  })

  it('follows AlwaysSinglePart, AlwaysMultiParts and MultiplePartitionsResumablePolicy', async () => {
    const manager = await localManager()
    await clearLog()
    await manager.autoUploader({ policy: new AlwaysSinglePart() }).upload(randomBlob(5 * MiB), { objectName: uniqueKey('single') })
    expect(await apisUsed()).toEqual(['form'])
    await clearLog()
    await manager.autoUploader({ policy: new AlwaysMultiParts() }).upload(randomBlob(MiB), { objectName: uniqueKey('multi') })
    expect(await apisUsed()).toContain('part')
    await clearLog()
    const policy = new MultiplePartitionsResumablePolicy(new FixedDataPartitionProvider(MiB), 2)
    expect(policy.policyForSize(2 * MiB)).toBe('single-part')
    expect(policy.policyForSize(2 * MiB + 1)).toBe('multi-parts')
    expect(new FixedThresholdResumablePolicy().policyForSize(4 * MiB)).toBe('single-part')
  })

  it('reports byte-level progress that never goes back and ends at the total', async () => {
    // Big, slow parts: more than the socket buffers can swallow, so progress shows inside each part.
    await addFaults({ api: 'part', nth: 1, times: 100, action: 'throttle', bytesPerSec: 5 * MiB })
    const blob = randomBlob(20 * MiB + 3)
    const events: UploadProgress[] = []
    const parts: UploadedPart[] = []
    const uploader = (await localManager())
      .autoUploader({ partSize: 10 * MiB, concurrency: 2 })
      .onUploadProgress((p) => events.push(p))
      .onPartUploaded((part) => void parts.push(part))
    await uploader.upload(blob, { objectName: uniqueKey('progress') })
    const transferred = events.map((e) => e.transferredBytes)
    expect(transferred).toEqual([...transferred].sort((a, b) => a - b))
    expect(transferred.at(-1)).toBe(blob.size)
    expect(events.every((e) => e.totalBytes === blob.size)).toBe(true)
    // Values that are not sums of whole parts: progress moved while parts were going up.
    expect(transferred.some((t) => t % (10 * MiB) !== 0 && t !== blob.size)).toBe(true)
    expect(parts.map((p) => p.partNumber).sort()).toEqual([1, 2, 3])
    expect(parts.every((p) => !p.resumed)).toBe(true)
  })

  it('aborts with a callback error, not retried, when a callback throws', async () => {
    await clearLog()
    const uploader = (await localManager()).autoUploader().onPartUploaded(() => {
      throw new Error('stop right there')
    })
    const error = await rejection(uploader.upload(randomBlob(9 * MiB), { objectName: uniqueKey('throws') }))
    expect(error.kind).toBe('callback')
    expect(error.message).toMatch(/stop right there/)
    expect((await requestLog()).filter((e) => e.api === 'complete')).toHaveLength(0)
  })

  it('runs several callbacks in registration order and lets onBeforeRequest edit headers', async () => {
    const order: string[] = []
    const uploader = (await localManager())
      .autoUploader()
      .onBeforeRequest((request) => {
        order.push(`a:${request.api}`)
        request.headers.set('X-Test', 'edited')
      })
      .onBeforeRequest((request) => {
        order.push(`b:${request.api}`)
      })
      .onResponseOk((response) => {
        order.push(`ok:${response.api}`)
      })
    await uploader.upload(randomBlob(100), { objectName: uniqueKey('order') })
    expect(order).toEqual(['a:form', 'b:form', 'ok:form'])
  })

  it('rejects an empty object name with a clear error', async () => {
    const error = await rejection((await localManager()).autoUploader().upload(randomBlob(10), { objectName: '' }))
    expect(error.kind).toBe('invalid-input')
  })
})
