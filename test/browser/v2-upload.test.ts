import { describe, expect, it } from 'vitest'
import {
  BlobDataSource,
  FixedDataPartitionProvider,
  MultiPartsV2Uploader,
  SerialMultiPartsUploaderScheduler,
  UploadError,
  UploadManager,
} from '../../src/index.js'
import { kodo, localManager, md5Of, randomBlob, storedObject, uniqueKey } from './helpers.js'
import { contextOf } from '../../src/manager/upload-manager.js'

async function uploadV2(manager: UploadManager, blob: Blob, params: Parameters<SerialMultiPartsUploaderScheduler['upload']>[1] = {}) {
  const uploader = manager.multiPartsUploader({ version: 'v2' }) as MultiPartsV2Uploader
  const scheduler = new SerialMultiPartsUploaderScheduler(uploader).setDataPartitionProvider(new FixedDataPartitionProvider())
  return scheduler.upload(new BlobDataSource(blob), params)
}

describe('V2 multi-part upload through the serial scheduler', () => {
  for (const [label, size] of [
    ['1 B', 1],
    ['exactly 4 MiB', 4 << 20],
    ['4 MiB + 1', (4 << 20) + 1],
    ['~37 MiB', 37 * (1 << 20) + 12345],
  ] as const) {
    it(`stores ${label} byte for byte`, async () => {
      const blob = randomBlob(size)
      const key = uniqueKey('v2')
      const result = (await uploadV2(await localManager(), blob, { objectName: key })) as { key: string; hash: string }
      expect(result.key).toBe(key)
      const stored = await storedObject(key)
      expect(stored.fsize).toBe(size)
      expect(stored.md5).toBe(await md5Of(blob))
      expect(stored.hash).toBe(result.hash)
    })
  }

  it('sends file name, content type, metadata and custom variables under the names Kodo expects', async () => {
    const key = uniqueKey('meta')
    await uploadV2(await localManager(), randomBlob(1024), {
      objectName: key,
      fileName: 'holiday.mp4',
      contentType: 'video/mp4',
      metadata: { camera: 'x100' },
      customVars: { album: 'summer' },
    })
    const stored = await storedObject(key)
    expect(stored.fname).toBe('holiday.mp4')
    expect(stored.mimeType).toBe('video/mp4')
    expect(stored.metadata).toEqual({ 'x-qn-meta-camera': 'x100' })
    expect(stored.customVars).toEqual({ 'x:album': 'summer' })
  })

  it('rejects an empty source up front with a clear error', async () => {
    const error = await uploadV2(await localManager(), new Blob([]), { objectName: uniqueKey('empty') }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UploadError)
    expect((error as UploadError).kind).toBe('invalid-input')
    expect((error as UploadError).message).toMatch(/form upload/)
  })

  it('rejects a wrong token with status 401 and a readable message', async () => {
    const good = await localManager()
    const forged = `${kodo.accessKey}:AAAAAAAAAAAAAAAAAAAAAAAAAAA=:${(await contextOf(good).tokens.get({ bucket: kodo.bucket })).split(':')[2]}`
    const manager = new UploadManager({ uploadToken: forged, upEndpoints: [kodo.url] })
    const error = await uploadV2(manager, randomBlob(10), { objectName: uniqueKey('bad') }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UploadError)
    expect((error as UploadError).kind).toBe('status')
    expect((error as UploadError).statusCode).toBe(401)
    expect((error as UploadError).message).toMatch(/token/)
    expect((error as UploadError).reqId).toBeTruthy()
  })
})
