// Issue 11, bug 10: every field of ObjectParams arrives at the server as given, on every upload path,
// with the non-ASCII file names and values Qiniu's users have most.
import { describe, expect, it } from 'vitest'
import {
  AlwaysMultiParts,
  AlwaysSinglePart,
  BlobDataSource,
  FixedDataPartitionProvider,
  MemoryResumableRecorder,
  SerialMultiPartsUploaderScheduler,
  UploadQueue,
  type ObjectParams,
  type UploadManager,
} from '../../src/index.js'
import { localManager, md5Of, randomBlob, storedObject, uniqueKey } from './helpers.js'

const MiB = 1 << 20

type Path = (manager: UploadManager, blob: Blob, params: ObjectParams) => Promise<unknown>

/** Each path gets an untyped Blob: the content type can only come from the params. */
const PATHS: Array<[string, number, Path]> = [
  ['auto, form', 100_000, (m, blob, params) => m.autoUploader({ policy: new AlwaysSinglePart() }).upload(blob, params)],
  ['auto, V1', 5 * MiB, (m, blob, params) => m.autoUploader({ policy: new AlwaysMultiParts(), multiPartsVersion: 'v1' }).upload(blob, params)],
  ['auto, V2', 3 * MiB, (m, blob, params) => m.autoUploader({ policy: new AlwaysMultiParts(), partSize: MiB }).upload(blob, params)],
  ['auto, short stream (form)', 100_000, (m, blob, params) => m.autoUploader().upload(blob.stream(), params)],
  ['auto, stream of unknown size (V2)', 5 * MiB, (m, blob, params) => m.autoUploader({ partSize: MiB }).upload(blob.stream(), params)],
  ['auto, stream (V1)', 5 * MiB, (m, blob, params) => m.autoUploader({ multiPartsVersion: 'v1' }).upload(blob.stream(), params)],
  [
    'UploadQueue',
    3 * MiB,
    async (m, blob, params) => {
      const queue = new UploadQueue(m, { uploader: { partSize: MiB } })
      const item = await queue.add(new File([blob], 'other-name.bin'), params)
      await queue.idle()
      if (item.state !== 'done') throw new Error(`the queue item ended ${item.state}`)
    },
  ],
  ['FormUploader', 100_000, (m, blob, params) => m.formUploader().upload(blob, params)],
  [
    'MultiPartsV1Uploader with a scheduler',
    5 * MiB,
    (m, blob, params) => new SerialMultiPartsUploaderScheduler(m.multiPartsUploader({ version: 'v1', recorder: new MemoryResumableRecorder() })).upload(new BlobDataSource(blob), params),
  ],
  [
    'MultiPartsV2Uploader step by step',
    3 * MiB,
    async (m, blob, params) => {
      const v2 = m.multiPartsUploader({ version: 'v2', recorder: new MemoryResumableRecorder() })
      const init = await v2.initializeParts(new BlobDataSource(blob), params)
      const parts = []
      for (let part: unknown; (part = await v2.uploadPart(init, new FixedDataPartitionProvider(MiB))); ) parts.push(part)
      return v2.completeParts(init, parts as never)
    },
  ],
]

describe('ObjectParams arrive as given', () => {
  for (const [path, size, upload] of PATHS) {
    it(`${path}: objectName, fileName, contentType, metadata, customVars`, async () => {
      const blob = randomBlob(size, '')
      expect(blob.type).toBe('')
      const key = uniqueKey('params')
      const params: ObjectParams = {
        objectName: key,
        fileName: '假期 1.mov',
        contentType: 'video/quicktime',
        metadata: { owner: '安 ann', 'Camera_Model-2': 'x100' },
        customVars: { album: '夏天 summer', 'day_1-a': 'sun' },
      }
      await upload(await localManager(), blob, params)
      const stored = await storedObject(key)
      expect(stored).toMatchObject({
        key,
        md5: await md5Of(blob),
        fname: '假期 1.mov',
        mimeType: 'video/quicktime',
        metadata: { 'x-qn-meta-owner': '安 ann', 'x-qn-meta-Camera_Model-2': 'x100' },
        customVars: { 'x:album': '夏天 summer', 'x:day_1-a': 'sun' },
      })
    })
  }
})
