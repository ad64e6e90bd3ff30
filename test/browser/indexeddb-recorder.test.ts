import { createStore, get as rawGet, set as rawSet, keys as rawKeys } from 'idb-keyval'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { indexedDbQueueStore } from '../../src/browser/indexeddb-queue-store.js'
import { IndexedDbResumableRecorder } from '../../src/browser/indexeddb-recorder.js'
import { MemoryResumableRecorder } from '../../src/recorders/memory-recorder.js'
import type { StoredItem } from '../../src/queue/queue-store.js'
import type { ResumableRecord } from '../../src/recorders/recorder.js'

/** Fixed once, so two records built for one comparison are equal. */
const now = Math.floor(Date.now() / 1000)

function record(objectName: string, expireAt = now + 3600): ResumableRecord {
  return {
    format: 1,
    version: 'v2',
    bucket: 'bucket',
    objectName,
    upEndpoints: ['http://127.0.0.1:9000'],
    partSize: 4 << 20,
    uploadId: `upload-${objectName}`,
    expireAt,
    source: { name: `${objectName}.bin`, size: 8 << 20, type: 'application/octet-stream', lastModified: 1 },
    updatedAt: now,
    parts: [{ offset: 0, size: 4 << 20, partNumber: 1, md5: 'd41d8cd98f00b204e9800998ecf8427e', etag: 'etag-1' }],
  }
}

/** Each test gets its own database, so tests never see each other's records. */
function names() {
  return { dbName: `qum-test-${crypto.randomUUID()}`, storeName: 'records' }
}

const restore: Array<() => void> = []
afterEach(() => restore.splice(0).reverse().forEach((undo) => undo()))

/** Makes the real `indexedDB.open` throw for its next `times` calls, as broken profiles do. */
function failingOpens(times = Infinity) {
  const original = indexedDB.open
  let calls = 0
  indexedDB.open = function (this: IDBFactory, ...args: Parameters<IDBFactory['open']>) {
    if (calls++ < times) throw new DOMException('The operation failed for reasons unrelated to the database itself.', 'UnknownError')
    return original.apply(this, args)
  }
  restore.push(() => (indexedDB.open = original))
}

/** Makes the real `IDBDatabase.transaction` throw for its next `times` calls. */
function failingTransactions(times = Infinity) {
  const original = IDBDatabase.prototype.transaction
  let calls = 0
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    if (calls++ < times) throw new DOMException('The database connection is closing.', 'InvalidStateError')
    return original.apply(this, args)
  }
  restore.push(() => (IDBDatabase.prototype.transaction = original))
}

describe('IndexedDbResumableRecorder', () => {
  it('round-trips set, get, entries and delete', async () => {
    const recorder = new IndexedDbResumableRecorder({ ...names(), onWarning: () => expect.unreachable() })
    expect(await recorder.get('a')).toBeUndefined()
    await recorder.set('a', record('a'))
    await recorder.set('b', record('b'))
    expect(await recorder.get('a')).toEqual(record('a'))
    expect(new Map(await recorder.entries())).toEqual(new Map([['a', record('a')], ['b', record('b')]]))
    await recorder.delete('a')
    expect(await recorder.get('a')).toBeUndefined()
    expect((await recorder.entries()).map(([key]) => key)).toEqual(['b'])
  })

  it('clear() forgets every record in its store, foreign ones too, and no other store\'s', async () => {
    const options = names()
    const other = new IndexedDbResumableRecorder(names())
    await other.set('kept', record('kept'))
    const recorder = new IndexedDbResumableRecorder(options)
    await recorder.set('a', record('a'))
    await rawSet('foreign', { format: 2, expireAt: 0 }, createStore(options.dbName, options.storeName))
    await recorder.clear()
    expect(await recorder.entries()).toEqual([])
    expect(await rawKeys(createStore(options.dbName, options.storeName))).toEqual([])
    expect(await other.get('kept')).toEqual(record('kept'))
    const memory = new MemoryResumableRecorder()
    await memory.set('m', record('m'))
    await memory.clear()
    expect(await memory.entries()).toEqual([])
  })

  it('keeps records for a new instance on the same store', async () => {
    const options = names()
    await new IndexedDbResumableRecorder(options).set('k', record('k'))
    expect(await new IndexedDbResumableRecorder(options).get('k')).toEqual(record('k'))
  })

  it('opens nothing at construction and uses the default names on first use', async () => {
    const before = (await indexedDB.databases()).map((db) => db.name)
    const recorder = new IndexedDbResumableRecorder()
    const custom = names()
    const customRecorder = new IndexedDbResumableRecorder(custom)
    expect((await indexedDB.databases()).map((db) => db.name)).toEqual(before)
    await recorder.set('default-names', record('x'))
    await customRecorder.set('custom-names', record('x'))
    const after = (await indexedDB.databases()).map((db) => db.name)
    expect(after).toContain('qiniu-upload-manager')
    expect(after).toContain(custom.dbName)
    expect(await rawGet('default-names', createStore('qiniu-upload-manager', 'resumable-records'))).toEqual(record('x'))
    expect(await rawGet('custom-names', createStore(custom.dbName, custom.storeName))).toEqual(record('x'))
    await recorder.delete('default-names')
  })

  it('purges expired records on first open, keeps foreign ones, never returns either', async () => {
    const options = names()
    const raw = createStore(options.dbName, options.storeName)
    await rawSet('live', record('live'), raw)
    await rawSet('expired', record('expired', now - 1), raw)
    await rawSet('foreign', { format: 2, expireAt: 0 }, raw)
    const recorder = new IndexedDbResumableRecorder(options)
    expect((await recorder.entries()).map(([key]) => key)).toEqual(['live'])
    expect((await rawKeys(raw)).sort()).toEqual(['foreign', 'live'])
    expect(await recorder.get('foreign')).toBeUndefined()
    // Expiring while the page is open: still never handed out.
    await rawSet('later', record('later', now - 1), raw)
    expect(await recorder.get('later')).toBeUndefined()
    expect((await recorder.entries()).map(([key]) => key)).toEqual(['live'])
  })

  it('carries on without persistence when IndexedDB cannot open: one warning', async () => {
    failingOpens()
    const onWarning = vi.fn()
    const recorder = new IndexedDbResumableRecorder({ ...names(), onWarning })
    await expect(recorder.set('a', record('a'))).resolves.toBeUndefined()
    expect(await recorder.get('a')).toBeUndefined()
    expect(await recorder.entries()).toEqual([])
    await Promise.all([recorder.set('b', record('b')), recorder.delete('a'), recorder.get('b')])
    expect(onWarning).toHaveBeenCalledTimes(1)
    expect(onWarning.mock.calls[0][1]).toBeInstanceOf(DOMException)
  })

  it('reopens once when the first open fails', async () => {
    failingOpens(1)
    const onWarning = vi.fn()
    const recorder = new IndexedDbResumableRecorder({ ...names(), onWarning })
    await recorder.set('a', record('a'))
    expect(await recorder.get('a')).toEqual(record('a'))
    expect(onWarning).not.toHaveBeenCalled()
  })

  it('reopens once when the connection breaks later, then gives up quietly', async () => {
    const onWarning = vi.fn()
    const recorder = new IndexedDbResumableRecorder({ ...names(), onWarning })
    await recorder.set('a', record('a'))
    failingTransactions(1) // "the database connection is closing": a new store fixes it
    expect(await recorder.get('a')).toEqual(record('a'))
    expect(onWarning).not.toHaveBeenCalled()
    failingTransactions() // broken for good: writes resolve, reads find nothing
    await expect(recorder.set('b', record('b'))).resolves.toBeUndefined()
    expect(await recorder.get('a')).toBeUndefined()
    await expect(recorder.delete('a')).resolves.toBeUndefined()
    expect(onWarning).toHaveBeenCalledTimes(1)
  })

  it('reopens each time a working connection closes, however often (a page open for days)', async () => {
    const onWarning = vi.fn()
    const recorder = new IndexedDbResumableRecorder({ ...names(), onWarning })
    for (const name of ['a', 'b', 'c', 'd']) {
      failingTransactions(1)
      await recorder.set(name, record(name))
      expect(await recorder.get(name)).toEqual(record(name))
    }
    expect(onWarning).not.toHaveBeenCalled()
  })

  it('works where indexedDB does not exist at all', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB')!
    Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true })
    restore.push(() => Object.defineProperty(globalThis, 'indexedDB', descriptor))
    const onWarning = vi.fn()
    const recorder = new IndexedDbResumableRecorder({ ...names(), onWarning })
    await expect(recorder.set('a', record('a'))).resolves.toBeUndefined()
    expect(await recorder.get('a')).toBeUndefined()
    expect(onWarning).toHaveBeenCalledTimes(1)
  })
})

describe('indexedDbQueueStore', () => {
  const item = (id: string) => ({ id, order: 1 }) as unknown as StoredItem

  it('opens a connection that closed again, however often; gives up with one warning when IndexedDB is broken', async () => {
    const onWarning = vi.fn()
    const store = indexedDbQueueStore({ ...names(), onWarning })
    for (const id of ['a', 'b', 'c']) {
      failingTransactions(1)
      await store.put(item(id))
    }
    expect((await store.list()).map((stored) => stored.id).sort()).toEqual(['a', 'b', 'c'])
    expect(onWarning).not.toHaveBeenCalled()
    failingTransactions()
    await expect(store.put(item('d'))).resolves.toBeUndefined()
    expect(await store.list()).toEqual([])
    expect(onWarning).toHaveBeenCalledTimes(1)
  })
})
