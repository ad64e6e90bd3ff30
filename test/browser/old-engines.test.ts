// AbortSignal.any (Chrome 116, Firefox 124, Safari 17.4) and AbortSignal.timeout (Safari 16) are used where
// they exist. Here they are taken away before anything loads (each test file runs in its own frame), as on
// an iOS 16 device, and uploads, pauses, resumes and cancels still work.
import './old-engine-setup.js'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryResumableRecorder } from '../../src/index.js'
import { addFaults, clearFaults, localManager, md5Of, randomBlob, rejection, storedObject, uniqueKey } from './helpers.js'

const MiB = 1 << 20

describe('without AbortSignal.any and AbortSignal.timeout (iOS 16)', () => {
  afterEach(async () => {
    await clearFaults()
  })

  it('uploads with a signal, pauses, resumes from the kept parts and cancels', async () => {
    expect(AbortSignal.any).toBeUndefined()
    const recorder = new MemoryResumableRecorder()
    const manager = await localManager({ recorder })
    const file = new File([randomBlob(8 * MiB)], 'old-engine.bin', { lastModified: 1 })
    const key = uniqueKey('old-engine')
    await addFaults({ api: 'part', nth: 1, times: 1000, action: 'throttle', bytesPerSec: 4 * MiB })
    const pause = new AbortController()
    const auto = manager.autoUploader({ partSize: MiB, concurrency: 2 })
    auto.onPartUploaded(() => pause.abort())
    expect(await rejection(auto.upload(file, { objectName: key, signal: pause.signal }))).toMatchObject({ kind: 'aborted' })
    expect(await recorder.entries()).toHaveLength(1)
    await clearFaults()
    const resumed: boolean[] = []
    await manager.autoUploader({ partSize: MiB }).onPartUploaded((part) => void resumed.push(part.resumed)).upload(file, { objectName: key, signal: new AbortController().signal })
    expect(resumed).toContain(true)
    expect((await storedObject(key)).md5).toBe(await md5Of(file))
    const other = uniqueKey('old-engine-cancel')
    const stop = new AbortController()
    const cancelled = manager.autoUploader({ partSize: MiB, concurrency: 1 })
    cancelled.onPartUploaded(() => stop.abort())
    await rejection(cancelled.upload(file, { objectName: other, signal: stop.signal }))
    await cancelled.cancel(file, { objectName: other })
    expect(await recorder.entries()).toHaveLength(0)
  })
})
