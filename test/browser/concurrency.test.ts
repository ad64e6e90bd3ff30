import { afterEach, describe, expect, it } from 'vitest'
import { BlobDataSource, ConcurrentMultiPartsUploaderScheduler, FixedConcurrencyProvider, type ConcurrencyFeedback } from '../../src/index.js'
import { addFaults, clearFaults, clearLog, localManager, md5Of, peakOverlap, randomBlob, rejection, requestLog, storedObject, uniqueKey } from './helpers.js'

const MiB = 1 << 20

describe('ConcurrentMultiPartsUploaderScheduler', () => {
  afterEach(async () => {
    await clearFaults()
    await clearLog()
  })

  it('really sends N parts at once and stores the object byte for byte', async () => {
    await clearLog()
    // Slow bodies so the lanes overlap on the server, whatever the machine's speed.
    await addFaults({ api: 'part', nth: 1, times: 100, action: 'throttle', bytesPerSec: 2 * MiB })
    const blob = randomBlob(16 * MiB)
    const key = uniqueKey('lanes')
    const feedback: ConcurrencyFeedback[] = []
    const provider = new FixedConcurrencyProvider(4)
    provider.feedback = (f) => void feedback.push(f)
    const scheduler = new ConcurrentMultiPartsUploaderScheduler((await localManager()).multiPartsUploader()).setConcurrencyProvider(provider)
    await scheduler.upload(new BlobDataSource(blob), { objectName: key })
    const parts = (await requestLog()).filter((e) => e.api === 'part')
    expect(parts).toHaveLength(4)
    expect(peakOverlap(parts)).toBe(4)
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
    expect(feedback).toHaveLength(1)
    expect(feedback[0]).toMatchObject({ concurrency: 4, objectSize: 16 * MiB })
  })

  it('by default grows past 4 lanes while latency is the limit, and the next upload starts there', async () => {
    await clearLog()
    // 250 ms before each part is read: a part's time is mostly waiting, so each lane more adds its rate (also on a busy machine).
    await addFaults({ api: 'part', nth: 1, times: 1000, action: 'stall', seconds: 0.25 })
    const uploader = (await localManager()).autoUploader({ partSize: MiB })
    const blob = randomBlob(48 * MiB)
    const key = uniqueKey('climb')
    await uploader.upload(blob, { objectName: key })
    const parts = (await requestLog()).filter((e) => e.api === 'part')
    expect(parts).toHaveLength(48)
    expect(peakOverlap(parts.slice(0, 8))).toBe(4)
    expect(peakOverlap(parts)).toBe(6)
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
    await clearLog()
    await uploader.upload(randomBlob(8 * MiB), { objectName: uniqueKey('climbed') })
    expect(peakOverlap((await requestLog()).filter((e) => e.api === 'part'))).toBe(6)
  })

  it('stops the other lanes promptly after one part fails for good', async () => {
    await clearLog()
    await addFaults({ api: 'part', nth: 3, action: 'status', status: 400, error: 'bad part' })
    const blob = randomBlob(40 * MiB)
    const scheduler = new ConcurrentMultiPartsUploaderScheduler((await localManager()).multiPartsUploader())
    const error = await rejection(scheduler.upload(new BlobDataSource(blob), { objectName: uniqueKey('stop') }))
    expect(error.kind).toBe('status')
    expect(error.statusCode).toBe(400)
    expect(error.api).toBe('uploadPart')
    expect(error.partNumber).toBeGreaterThanOrEqual(1)
    const log = await requestLog()
    // 10 parts in all; after the failure no lane starts a new part, so at most the 4 in flight plus the failed one ran.
    expect(log.filter((e) => e.api === 'part').length).toBeLessThanOrEqual(6)
    expect(log.filter((e) => e.api === 'complete')).toHaveLength(0)
  })
})
