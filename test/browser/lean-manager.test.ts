// The lean way in: a LeanUploadManager makes no uploader, and the app constructs the ones it uses
// (what lets its bundle drop the others: test/package/size.js measures that).
import { afterEach, describe, expect, it } from 'vitest'
import {
  AutoUploader,
  BlobDataSource,
  ConcurrentMultiPartsUploaderScheduler,
  FormUploader,
  LeanUploadManager,
  MemoryResumableRecorder,
  MultiPartsV1Uploader,
  MultiPartsV2Uploader,
  StreamDataSource,
  UploadManagerCore,
  type UploadManagerOptions,
} from '../../src/index.js'
import { clearLog, kodo, md5Of, randomBlob, rejection, requestLog, storedObject, token, uniqueKey } from './helpers.js'

const MiB = 1 << 20

async function leanManager(options: Partial<UploadManagerOptions> = {}): Promise<LeanUploadManager> {
  return new LeanUploadManager({ uploadToken: await token(), upEndpoints: [kodo.url], recorder: new MemoryResumableRecorder(), ...options })
}

async function apisUsed(): Promise<string[]> {
  return [...new Set((await requestLog()).map((entry) => entry.api))]
}

function streamOf(blob: Blob): ReadableStream<Uint8Array> {
  return blob.stream() as ReadableStream<Uint8Array>
}

describe('LeanUploadManager', () => {
  afterEach(() => clearLog())

  it('has no uploader factories; an AutoUploader made from it with the form and V2 uploaders sends small files by form, large ones by V2', async () => {
    const manager = await leanManager()
    expect(manager).toBeInstanceOf(UploadManagerCore)
    expect('autoUploader' in manager).toBe(false)
    const uploader = new AutoUploader(manager, { form: FormUploader, multiParts: MultiPartsV2Uploader, partSize: MiB })
    for (const [size, api] of [[1000, 'form'], [5 * MiB + 7, 'part']] as const) {
      await clearLog()
      const blob = randomBlob(size)
      const key = uniqueKey('lean-auto')
      await uploader.upload(blob, { objectName: key })
      expect(await apisUsed()).toContain(api)
      expect((await storedObject(key)).md5).toBe(await md5Of(blob))
    }
  })

  it('drives the multi-part uploader it is given: V1 when the AutoUploader gets MultiPartsV1Uploader', async () => {
    const uploader = new AutoUploader(await leanManager(), { form: FormUploader, multiParts: MultiPartsV1Uploader })
    const blob = randomBlob(5 * MiB)
    const key = uniqueKey('lean-v1')
    await uploader.upload(blob, { objectName: key })
    expect(await apisUsed()).toContain('mkblk')
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  })

  it('makes a V2 uploader for a scheduler: new MultiPartsV2Uploader(manager)', async () => {
    const blob = randomBlob(2 * MiB + 1)
    const key = uniqueKey('lean-v2')
    const scheduler = new ConcurrentMultiPartsUploaderScheduler(new MultiPartsV2Uploader(await leanManager(), { checkObjectHash: true }))
    const result = await scheduler.upload(new BlobDataSource(blob), { objectName: key })
    expect(result).toMatchObject({ key })
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  })

  it('takes streams only when given StreamDataSource: without it a stream fails with invalid-input, with it a short one goes by form', async () => {
    const manager = await leanManager()
    const blob = randomBlob(100_000)
    const without = new AutoUploader(manager, { form: FormUploader, multiParts: MultiPartsV2Uploader })
    const error = await rejection(without.upload(streamOf(blob), { objectName: uniqueKey('lean-stream') }))
    expect(error.kind).toBe('invalid-input')
    expect(error.message).toMatch(/streams: StreamDataSource/)
    await clearLog()
    const key = uniqueKey('lean-stream')
    await new AutoUploader(manager, { form: FormUploader, multiParts: MultiPartsV2Uploader, streams: StreamDataSource }).upload(streamOf(blob), { objectName: key })
    expect(await apisUsed()).toEqual(['form'])
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  })

  it('refuses to make an uploader from something that is not a manager, with invalid-input', () => {
    expect(() => new MultiPartsV2Uploader({} as UploadManagerCore)).toThrow(/Uploaders are made from an upload manager/)
  })
})
