import { afterEach, describe, expect, it } from 'vitest'
import { BlobDataSource, ConcurrentMultiPartsUploaderScheduler, FixedDataPartitionProvider, type Hasher, type MultiPartsV1Uploader } from '../../src/index.js'
import { contextOf } from '../../src/manager/upload-manager.js'
import { addFaults, clearFaults, clearLog, localManager, md5Of, randomBlob, rejection, requestLog, storedObject, uniqueKey } from './helpers.js'

const MiB = 1 << 20

describe('V1 multi-part upload (mkblk/mkfile)', () => {
  afterEach(clearLog)

  it('stores a 9 MiB file byte for byte in 4 MiB blocks, whatever part size was asked for', async () => {
    await clearLog()
    const blob = randomBlob(9 * MiB + 11, 'image/png')
    const key = uniqueKey('v1')
    const uploader = (await localManager()).multiPartsUploader({ version: 'v1' }) as MultiPartsV1Uploader
    const scheduler = new ConcurrentMultiPartsUploaderScheduler(uploader).setDataPartitionProvider(new FixedDataPartitionProvider(MiB))
    const result = (await scheduler.upload(new BlobDataSource(blob), {
      objectName: key,
      fileName: 'photo.png',
      metadata: { owner: 'ann' },
      customVars: { album: 'x' },
    })) as { key: string; hash: string }
    const stored = await storedObject(key)
    expect(stored.md5).toBe(await md5Of(blob))
    expect(stored.hash).toBe(result.hash)
    expect(stored).toMatchObject({ fname: 'photo.png', mimeType: 'image/png', metadata: { 'x-qn-meta-owner': 'ann' }, customVars: { 'x:album': 'x' } })
    const blocks = (await requestLog()).filter((e) => e.api === 'mkblk').map((e) => e.bodyBytes)
    expect(blocks.sort((a, b) => b - a)).toEqual([4 * MiB, 4 * MiB, MiB + 11])
  })
})

describe('Form upload', () => {
  it('stores the file with its metadata and a crc32 the server checked', async () => {
    await clearLog()
    const blob = randomBlob(MiB + 5, 'text/plain')
    const key = uniqueKey('form')
    const uploader = (await localManager()).formUploader()
    const seen: number[] = []
    uploader.onUploadProgress((p) => seen.push(p.transferredBytes))
    await uploader.upload(blob, { objectName: key, fileName: 'notes.txt', metadata: { a: '1' }, customVars: { b: '2' } })
    const stored = await storedObject(key)
    expect(stored.md5).toBe(await md5Of(blob))
    expect(stored).toMatchObject({ fname: 'notes.txt', mimeType: 'text/plain', metadata: { 'x-qn-meta-a': '1' }, customVars: { 'x:b': '2' } })
    expect(seen.at(-1)).toBe(blob.size)
  })

  it("a 406 (crc32) is local-io when the file no longer hashes as it did (Firefox sends a changed file's new bytes), else status 406", async () => {
    for (const changed of [true, false]) {
      await addFaults({ api: 'form', nth: 1, action: 'status', status: 406, error: 'crc32 not match' })
      const base = await localManager()
      let digests = 0
      const hasher: Hasher = {
        async digest(blob, request, signal) {
          const digest = await contextOf(base).hasher.digest(blob, request, signal)
          return ++digests > 1 && changed ? { ...digest, crc32: (digest.crc32 ?? 0) ^ 1 } : digest
        },
      }
      const error = await rejection((await localManager({ hasher })).formUploader().upload(randomBlob(1000), { objectName: uniqueKey('form-406') }))
      expect(error, changed ? 'changed' : 'unchanged').toMatchObject(changed ? { kind: 'local-io', cause: { statusCode: 406 } } : { kind: 'status', statusCode: 406 })
      await clearFaults()
    }
  })
})
