import { afterEach, describe, expect, it } from 'vitest'
import { IndexedDbResumableRecorder, MemoryResumableRecorder, type ResumableRecord, type ResumableRecorder, type UploadError, type UploadedPart } from '../../src/index.js'
import { addFaults, admin, clearFaults, clearLog, localManager, md5Of, randomBlob, rejection, requestLog, storedObject, uniqueKey } from './helpers.js'

const MiB = 1 << 20

/** Starts an upload and pauses it (aborts) once `afterParts` parts are done; resolves with the parts sent. */
async function uploadThenPause(recorder: ResumableRecorder, file: Blob, key: string, afterParts: number): Promise<number> {
  const pause = new AbortController()
  let done = 0
  const uploader = (await localManager({ recorder })).autoUploader({ concurrency: 2 }).onPartUploaded(() => {
    if (++done === afterParts) pause.abort()
  })
  const error = await rejection(uploader.upload(file, { objectName: key, signal: pause.signal }))
  expect(error.kind).toBe('aborted')
  return done
}

async function resume(recorder: ResumableRecorder, file: Blob, key: string) {
  const parts: UploadedPart[] = []
  const startOvers: UploadError[] = []
  const uploader = (await localManager({ recorder }))
    .autoUploader({ concurrency: 2 })
    .onPartUploaded((part) => void parts.push(part))
    .onStartOver((reason) => void startOvers.push(reason))
  const result = await uploader.upload(file, { objectName: key })
  return { result, parts, startOvers }
}

function sentPartBytes(log: Awaited<ReturnType<typeof requestLog>>): number {
  return log.filter((e) => e.api === 'part' && e.status === 200).reduce((sum, e) => sum + e.bodyBytes, 0)
}

describe('pause and resume', () => {
  afterEach(async () => {
    await clearFaults()
    await clearLog()
  })

  for (const [name, makeRecorder] of [
    ['memory', () => new MemoryResumableRecorder()],
    ['IndexedDB', () => new IndexedDbResumableRecorder({ dbName: 'resume-test', storeName: uniqueKey('store') })],
  ] as const) {
    it(`resumes from the ${name} recorder without a second initParts, re-sending little`, async () => {
      const recorder = makeRecorder()
      const file = new File([randomBlob(24 * MiB + 3)], 'movie.mp4', { type: 'video/mp4', lastModified: 1_700_000_000_000 })
      const key = uniqueKey('resume')
      await clearLog()
      await uploadThenPause(recorder, file, key, 3)
      expect((await recorder.entries()).length).toBe(1)
      const { parts } = await resume(recorder, file, key)
      expect(parts.filter((p) => p.resumed).length).toBeGreaterThanOrEqual(3)
      const log = await requestLog()
      expect(log.filter((e) => e.api === 'init')).toHaveLength(1)
      expect(sentPartBytes(log) - file.size).toBeLessThanOrEqual(2 * 4 * MiB)
      expect((await storedObject(key)).md5).toBe(await md5Of(file))
      expect(await recorder.entries()).toEqual([])
    })
  }

  it('detects a part whose bytes changed since the record and sends it again', async () => {
    const recorder = new MemoryResumableRecorder()
    const first = randomBlob(4 * MiB)
    const original = new File([first, randomBlob(8 * MiB)], 'same.bin', { lastModified: 1 })
    const changed = new File([first, randomBlob(8 * MiB)], 'same.bin', { lastModified: 1 })
    const key = uniqueKey('changed')
    await uploadThenPause(recorder, original, key, 3)
    const { parts } = await resume(recorder, changed, key)
    expect(parts.filter((p) => !p.resumed).map((p) => p.partNumber)).toEqual(expect.arrayContaining([2, 3]))
    expect((await storedObject(key)).md5).toBe(await md5Of(changed))
  })

  it('adopts a part the server holds that the record missed (the page went away before the record write)', async () => {
    const recorder = new MemoryResumableRecorder()
    const file = new File([randomBlob(20 * MiB + 5)], 'missed.bin', { lastModified: 2 })
    const key = uniqueKey('missed')
    await uploadThenPause(recorder, file, key, 3)
    const [[sourceKey, record]] = (await recorder.entries()) as [[string, ResumableRecord]]
    const dropped = record.parts.at(-1)!
    await recorder.set(sourceKey, { ...record, parts: record.parts.slice(0, -1) })
    await clearLog()
    const { parts } = await resume(recorder, file, key)
    expect(parts.find((p) => p.partNumber === dropped.partNumber)?.resumed).toBe(true)
    expect((await requestLog()).filter((e) => e.api === 'part' && e.partNumber === dropped.partNumber)).toEqual([])
    expect((await storedObject(key)).md5).toBe(await md5Of(file))
  })

  it('starts over cleanly when the server no longer knows the recorded uploadId', async () => {
    const recorder = new MemoryResumableRecorder()
    const file = new File([randomBlob(12 * MiB)], 'gone.bin')
    const key = uniqueKey('gone')
    await uploadThenPause(recorder, file, key, 1)
    const [[, record]] = (await recorder.entries()) as unknown as [[string, { uploadId: string }]]
    await admin(`/_admin/uploads/${record.uploadId}/expire`, { method: 'POST' })
    await clearLog()
    const { parts, startOvers } = await resume(recorder, file, key)
    expect(parts.every((p) => !p.resumed)).toBe(true)
    expect(startOvers).toMatchObject([{ statusCode: 612, api: 'listParts', partsExpired: true }])
    expect((await requestLog()).filter((e) => e.api === 'init')).toHaveLength(1)
    expect((await storedObject(key)).md5).toBe(await md5Of(file))
  })

  it('ignores an expired record and uploads afresh', async () => {
    const recorder = new MemoryResumableRecorder()
    const file = new File([randomBlob(9 * MiB)], 'old.bin')
    const key = uniqueKey('expired')
    await uploadThenPause(recorder, file, key, 1)
    const [[sourceKey, record]] = (await recorder.entries()) as [[string, ResumableRecord]]
    await recorder.set(sourceKey, { ...record, expireAt: Math.floor(Date.now() / 1000) - 1 })
    const { parts } = await resume(recorder, file, key)
    expect(parts.every((p) => !p.resumed)).toBe(true)
    expect((await storedObject(key)).md5).toBe(await md5Of(file))
  })

  it('complete answering 612 after a resumed attempt: maybe-committed and the record kept, never a second upload', async () => {
    const recorder = new MemoryResumableRecorder()
    const file = new File([randomBlob(9 * MiB)], 'reinit.bin')
    const key = uniqueKey('reinit')
    await uploadThenPause(recorder, file, key, 1)
    await clearLog()
    await addFaults({ api: 'complete', nth: 1, action: 'status', status: 612, error: 'no such uploadId' })
    const error = await rejection(resume(recorder, file, key))
    expect(error).toMatchObject({ kind: 'maybe-committed', api: 'completeParts' })
    expect((await requestLog()).filter((e) => e.api === 'init')).toHaveLength(0)
    expect(await recorder.entries()).toHaveLength(1)
  })

  it('cancel aborts the upload on the server and forgets the record', async () => {
    const recorder = new MemoryResumableRecorder()
    const file = new File([randomBlob(12 * MiB)], 'cancel.bin')
    const key = uniqueKey('cancel')
    await uploadThenPause(recorder, file, key, 1)
    await clearLog()
    await (await localManager({ recorder })).autoUploader().cancel(file, { objectName: key })
    expect((await requestLog()).map((e) => e.api)).toContain('abort')
    expect(await recorder.entries()).toEqual([])
  })
})
