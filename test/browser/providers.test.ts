import { describe, expect, it } from 'vitest'
import {
  AdaptiveDataPartitionProvider,
  AlwaysMultiParts,
  BlobDataSource,
  FixedDataPartitionProvider,
  LimitedDataPartitionProvider,
  MemoryResumableRecorder,
  MultiplyDataPartitionProvider,
  SerialMultiPartsUploaderScheduler,
  type DataPartitionFeedback,
  type DataSource,
  type MultiPartsV2Uploader,
} from '../../src/index.js'
import { localManager, md5Of, randomBlob, storedObject, uniqueKey } from './helpers.js'

const MiB = 1 << 20
const GiB = 1 << 30

describe('part-size providers', () => {
  it('clamp, round and stay fixed as the seed does', () => {
    expect(new FixedDataPartitionProvider().partSize()).toBe(4 * MiB)
    expect(new LimitedDataPartitionProvider(new FixedDataPartitionProvider(100)).partSize()).toBe(MiB)
    expect(new LimitedDataPartitionProvider(new FixedDataPartitionProvider(2 * GiB)).partSize()).toBe(GiB)
    expect(new MultiplyDataPartitionProvider(new FixedDataPartitionProvider(5 * MiB + 7)).partSize()).toBe(5 * MiB)
    expect(new MultiplyDataPartitionProvider(new FixedDataPartitionProvider(10)).partSize()).toBe(MiB)
    expect(() => new FixedDataPartitionProvider(0)).toThrow(expect.objectContaining({ kind: 'invalid-input' }))
  })

  it('get feedback after every part, and V2 uses the size they give (outside 1 MiB..1 GiB: invalid-input)', async () => {
    const feedback: DataPartitionFeedback[] = []
    const provider = new FixedDataPartitionProvider(MiB)
    provider.feedback = (f) => void feedback.push(f)
    const blob = randomBlob(3 * MiB + 1)
    const key = uniqueKey('feedback')
    const manager = await localManager()
    const tooSmall = new SerialMultiPartsUploaderScheduler(manager.multiPartsUploader()).setDataPartitionProvider(new FixedDataPartitionProvider(100 * 1024))
    await expect(tooSmall.upload(new BlobDataSource(blob), { objectName: key })).rejects.toMatchObject({ kind: 'invalid-input' })
    const scheduler = new SerialMultiPartsUploaderScheduler(manager.multiPartsUploader()).setDataPartitionProvider(provider)
    await scheduler.upload(new BlobDataSource(blob), { objectName: key })
    expect(feedback.map((f) => f.partSize)).toEqual([MiB, MiB, MiB, 1])
    expect(feedback.every((f) => f.elapsed >= 0 && f.error === undefined)).toBe(true)
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  })

  it('grows the part size when a source would need more than 10 000 parts', async () => {
    // A source that claims 20 GiB: only the size the uploader asks for its first part matters here.
    const asked: number[] = []
    const huge: DataSource = {
      async slice(sizer) {
        asked.push(sizer(0, 1))
        return null
      },
      async reset() {},
      async sourceKey() {
        return null
      },
      totalSize: () => 20 * GiB,
      describe: () => ({}),
    }
    const uploader = (await localManager()).multiPartsUploader() as MultiPartsV2Uploader
    const state = await uploader.initializeParts(huge, { objectName: uniqueKey('huge') }, new FixedDataPartitionProvider(MiB))
    await uploader.uploadPart(state, new FixedDataPartitionProvider(MiB))
    // 20 GiB in at most 10 000 parts needs 2.048 MiB parts, rounded up to whole MiB.
    expect(asked[0]).toBe(3 * MiB)
  })

  it('adaptive: parts of changing sizes, paused and resumed under another provider, make the file (its hash checked by the library)', async () => {
    const recorder = new MemoryResumableRecorder()
    const file = new File([randomBlob(24 * MiB)], 'adaptive.bin', { lastModified: 3 })
    const key = uniqueKey('adaptive')
    const pause = new AbortController()
    let done = 0
    const first = (await localManager({ recorder }))
      .autoUploader({ policy: new AlwaysMultiParts(), partSize: new AdaptiveDataPartitionProvider({ initial: MiB, max: 4 * MiB }), concurrency: 2 })
      .onPartUploaded(() => void (++done === 4 && pause.abort()))
    await first.upload(file, { objectName: key, signal: pause.signal }).catch(() => {})
    const resumed: boolean[] = []
    const second = (await localManager({ recorder }))
      .autoUploader({ policy: new AlwaysMultiParts(), partSize: new AdaptiveDataPartitionProvider({ initial: 2 * MiB, max: 8 * MiB }), concurrency: 2 })
      .onPartUploaded((part) => void resumed.push(part.resumed))
    await second.upload(file, { objectName: key })
    expect(resumed).toContain(true)
    expect((await storedObject(key)).md5).toBe(await md5Of(file))
  })
})
