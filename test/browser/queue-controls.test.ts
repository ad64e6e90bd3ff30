// Pause all, resume all, cancel one, retry a failed one, and the states an item shows on the way,
// with faults injected by the local Kodo server.
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryResumableRecorder, UploadQueue, memoryQueueStore, type ItemStatus, type QueueItem } from '../../src/index.js'
import { addFaults, clearFaults, clearLog, localManager, md5Of, randomBlob, requestLog, storedObject, uniqueKey } from './helpers.js'

const MiB = 1 << 20

function until(check: () => boolean, what: string, timeout = 60_000): Promise<void> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) return resolve()
      if (Date.now() - started > timeout) return reject(new Error(`timed out waiting for ${what}`))
      setTimeout(poll, 25)
    }
    poll()
  })
}

async function queueOf(count: number, size: number, options: ConstructorParameters<typeof UploadQueue>[1] = {}) {
  const manager = await localManager({ retriesPerHost: 1, backoffBase: 50 })
  const queue = new UploadQueue(manager, { files: count, lanes: 4, uploader: { partSize: MiB }, ...options })
  const files = Array.from({ length: count }, () => ({ blob: randomBlob(size), key: uniqueKey('queue-ctl') }))
  const items: QueueItem[] = []
  for (const { blob, key } of files) items.push(await queue.add(new File([blob], `${key}.bin`), { objectName: key }))
  return { queue, files, items }
}

describe('UploadQueue controls', () => {
  afterEach(async () => {
    await clearFaults()
    await clearLog()
  })

  it('pause all keeps the bar where it was and stops every request; resume all finishes from the kept parts', async () => {
    await clearLog()
    await addFaults({ api: 'part', nth: 1, times: 1000, action: 'throttle', bytesPerSec: 2 * MiB })
    const { queue, files, items } = await queueOf(3, 8 * MiB)
    await until(() => items.every((item) => item.keptBytes > 0), 'a part of every file')
    const before = items.map((item) => item.progress().transferredBytes)
    queue.pauseAll()
    expect(items.map((item) => item.state)).toEqual(['paused', 'paused', 'paused'])
    expect(items.map((item) => item.progress().transferredBytes)).toEqual(before)
    const pausedAt = Date.now()
    await new Promise((resolve) => setTimeout(resolve, 1000))
    // 300 ms of grace: a request the browser had already sent when pause came may reach a busy server later.
    const late = (await requestLog()).filter((e) => e.api === 'part' && e.startedAt > pausedAt + 300)
    expect(late).toHaveLength(0)
    expect(items.every((item) => item.progress().transferredBytes >= before[items.indexOf(item)]!)).toBe(true)

    await clearFaults()
    queue.resumeAll()
    await until(() => items.every((item) => item.finished), 'every item to finish')
    expect(items.map((item) => item.state)).toEqual(['done', 'done', 'done'])
    const log = await requestLog()
    for (const { blob, key } of files) expect((await storedObject(key)).md5).toBe(await md5Of(blob))
    // Resumed, not restarted: one initParts per file.
    expect(log.filter((e) => e.api === 'init')).toHaveLength(3)
  })

  it('a signal given to add() pauses its item when it aborts: requests stop, the parts are kept, resume finishes it', async () => {
    await clearLog()
    await addFaults({ api: 'part', nth: 1, times: 1000, action: 'throttle', bytesPerSec: 2 * MiB })
    const queue = new UploadQueue(await localManager(), { files: 2, lanes: 4, uploader: { partSize: MiB } })
    const [live, early] = [{ blob: randomBlob(8 * MiB), key: uniqueKey('queue-signal') }, { blob: randomBlob(2 * MiB), key: uniqueKey('queue-aborted') }]
    const stop = new AbortController()
    const item = await queue.add(new File([live.blob], `${live.key}.bin`), { objectName: live.key, signal: stop.signal })
    // A signal already aborted adds the item paused: nothing of it is sent.
    const pausedItem = await queue.add(new File([early.blob], `${early.key}.bin`), { objectName: early.key, signal: AbortSignal.abort() })
    expect(pausedItem.state).toBe('paused')
    await until(() => item.keptBytes > 0, 'a part of the file')
    stop.abort()
    expect(item.state).toBe('paused')
    const pausedAt = Date.now()
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const log = await requestLog()
    expect(log.filter((e) => e.api === 'part' && e.startedAt > pausedAt + 300)).toHaveLength(0)
    expect(log.filter((e) => e.api === 'form' || e.api === 'init')).toHaveLength(1)

    await clearFaults()
    item.resume()
    pausedItem.resume()
    await until(() => item.finished && pausedItem.finished, 'both items to finish')
    expect([item.state, pausedItem.state]).toEqual(['done', 'done'])
    for (const { blob, key } of [live, early]) expect((await storedObject(key)).md5).toBe(await md5Of(blob))
    expect((await requestLog()).filter((e) => e.api === 'init')).toHaveLength(1)
  })

  it('cancel one aborts it on the server and leaves the others running', async () => {
    await clearLog()
    await addFaults({ api: 'part', nth: 1, times: 1000, action: 'throttle', bytesPerSec: 4 * MiB })
    const { files, items } = await queueOf(3, 6 * MiB)
    await until(() => items[1]!.keptBytes > 0, 'a part of the second file')
    await items[1]!.cancel()
    expect(items[1]!.state).toBe('cancelled')
    await clearFaults()
    await until(() => items[0]!.finished && items[2]!.finished, 'the others to finish')
    expect([items[0]!.state, items[2]!.state]).toEqual(['done', 'done'])
    await expect(storedObject(files[1]!.key)).rejects.toThrow(/not found/)
    expect((await requestLog()).filter((e) => e.api === 'abort')).toHaveLength(1)
  })

  it('cancel of an item restored without its file forgets its record (the parts on the server expire)', async () => {
    await addFaults({ api: 'part', nth: 1, times: 1000, action: 'throttle', bytesPerSec: 2 * MiB })
    const manager = await localManager()
    const store = memoryQueueStore()
    const recorder = new MemoryResumableRecorder()
    const options = { store, uploader: { partSize: MiB, recorder } }
    const key = uniqueKey('queue-forget')
    const item = await new UploadQueue(manager, options).add(new File([randomBlob(6 * MiB)], `${key}.bin`), { objectName: key })
    await until(() => item.keptBytes > 0, 'a part on the server')
    item.pause()
    // As after a reload: a new queue on the same store, and no File.
    const [restored] = await new UploadQueue(manager, options).restore()
    expect(restored!.state).toBe('needs-file')
    expect(await recorder.entries()).toHaveLength(1)
    await restored!.cancel()
    expect(restored!.state).toBe('cancelled')
    expect(await recorder.entries()).toHaveLength(0)
    expect(await store.list()).toHaveLength(0)
  })

  it('shows retrying (which request, why, attempt n of m), fails with a typed error, and retry finishes from the kept parts', async () => {
    await clearLog()
    await addFaults([
      { api: 'part', nth: 2, action: 'status', status: 503 },
      { api: 'part', nth: 4, action: 'status', status: 400, error: 'bad part' },
    ])
    const { queue, files, items } = await queueOf(1, 6 * MiB, { lanes: 1 })
    const seen: ItemStatus[] = []
    queue.on('state', (item) => seen.push(item.status))
    await until(() => items[0]!.finished, 'the failure')
    const retrying = seen.find((status) => status.state === 'retrying')
    expect(retrying?.retry).toMatchObject({ api: 'uploadPart', attempt: 1, waitingForNetwork: false })
    expect(retrying!.retry!.maxAttempts).toBeGreaterThanOrEqual(1)
    expect(retrying!.retry!.error.statusCode).toBe(503)
    expect(items[0]!.state).toBe('failed')
    expect(items[0]!.status.error).toMatchObject({ kind: 'status', statusCode: 400, api: 'uploadPart' })
    const kept = items[0]!.keptBytes
    expect(kept).toBeGreaterThan(0)

    items[0]!.retry()
    await until(() => items[0]!.state === 'done', 'the retried upload')
    expect((await storedObject(files[0]!.key)).md5).toBe(await md5Of(files[0]!.blob))
    const log = await requestLog()
    expect(log.filter((e) => e.api === 'init')).toHaveLength(1)
    expect(seen.some((status) => status.state === 'resuming' && status.bytesOnServer === kept)).toBe(true)
  })

  it('says restarting when the server forgot the upload, and then sends it from 0', async () => {
    await clearLog()
    await addFaults({ api: 'part', nth: 1, times: 1000, action: 'throttle', bytesPerSec: 4 * MiB })
    const { queue, files, items } = await queueOf(1, 6 * MiB, { lanes: 1 })
    await until(() => items[0]!.keptBytes >= 2 * MiB, 'two parts')
    items[0]!.pause()
    await clearFaults()
    await addFaults({ api: 'list', action: 'status', status: 612, error: 'no such upload' })
    const seen: ItemStatus[] = []
    queue.on('state', (item) => seen.push(item.status))
    items[0]!.resume()
    await until(() => items[0]!.finished, 'the upload')
    expect(items[0]!.state).toBe('done')
    expect(seen.find((status) => status.state === 'restarting')?.error).toMatchObject({ statusCode: 612, api: 'listParts' })
    expect((await storedObject(files[0]!.key)).md5).toBe(await md5Of(files[0]!.blob))
    expect((await requestLog()).filter((e) => e.api === 'init')).toHaveLength(2)
  })
})
