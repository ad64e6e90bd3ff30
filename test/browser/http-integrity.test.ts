// The HTTP, token, stream and hashing layer keeps the README's promise: a stored object or a typed
// UploadError, never a TypeError, never a hang (issue 11: 4, 9, 12, 13a, 15, 17, 18).
import { afterEach, describe, expect, it } from 'vitest'
import {
  AlwaysMultiParts,
  AlwaysSinglePart,
  ConcurrentMultiPartsUploaderScheduler,
  FixedConcurrencyProvider,
  FixedDataPartitionProvider,
  MainThreadHasher,
  MemoryResumableRecorder,
  StreamDataSource,
  UploadManager,
  xhrFetch,
  type FetchLike,
  type UploadManagerOptions,
} from '../../src/index.js'
import { addFaults, admin, clearFaults, clearLog, kodo, localManager, md5Of, randomBlob, rejection, requestLog, storedObject, token, uniqueKey } from './helpers.js'

const MiB = 1 << 20

afterEach(async () => {
  await clearFaults()
  await clearLog()
  await admin('/_admin/throttle', { method: 'POST', body: JSON.stringify({ bytesPerSec: null }) })
})

/** Settles with `promise`, or fails the test when it is still pending after `ms` (a hang). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms))])
}

/** A transport that answers `api`'s requests (matched on method and URL) with `body` and status 200, unsent. */
function answering(match: (request: Request) => boolean, body: string): FetchLike {
  return async (request, options) => (match(request) ? new Response(body, { status: 200, headers: { 'X-Reqid': 'fake-reqid' } }) : xhrFetch(request, options))
}

const isInit = (r: Request) => r.method === 'POST' && /\/uploads$/.test(new URL(r.url).pathname)
const isPart = (r: Request) => r.method === 'PUT'
const isComplete = (r: Request) => r.method === 'POST' && /\/uploads\/[^/]+$/.test(new URL(r.url).pathname)
const isForm = (r: Request) => r.method === 'POST' && new URL(r.url).pathname === '/'

describe('9. a 2xx body that is not a JSON object is a parse error', () => {
  for (const [api, match, body, single] of [
    ['initParts', isInit, 'null', false],
    ['uploadPart', isPart, '[]', false],
    ['completeParts', isComplete, 'null', false],
    ['form', isForm, '[1,2]', true],
    ['form', isForm, '42', true],
    ['initParts', isInit, '<html>oops</html>', false],
  ] as const) {
    it(`${api} answered 200 ${body}: UploadError kind parse, not a TypeError`, async () => {
      const manager = await localManager({ fetch: answering(match, body), retriesPerHost: 1, backoffBase: 1 })
      const uploader = manager.autoUploader({ policy: single ? new AlwaysSinglePart() : new AlwaysMultiParts(), partSize: MiB })
      const error = await rejection(uploader.upload(randomBlob(single ? 1000 : 2 * MiB), { objectName: uniqueKey('not-object') }))
      // An unreadable answer to the final call is a lost answer: the object may be stored (issue 11, item 2).
      if (api === 'completeParts') expect(error.kind).toBe('maybe-committed')
      const parse = api === 'completeParts' ? error.cause : error
      expect(parse).toMatchObject({ kind: 'parse', api, statusCode: 200 })
    })
  }
})

describe('12. a stall after the body left is noticed after about stallTimeout, not three times it', () => {
  it('fast link: the server stops answering after taking a part; the part is sent again within 4/3 of stallTimeout', async () => {
    const stallTimeout = 3000
    await addFaults({ api: 'part', nth: 2, action: 'stall', when: 'after-body', seconds: 20 })
    const blob = randomBlob(12 * MiB)
    const key = uniqueKey('stall-after-body')
    const manager = await localManager({ stallTimeout, retriesPerHost: 1 })
    await manager.autoUploader({ partSize: 4 * MiB, concurrency: 1 }).upload(blob, { objectName: key })
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
    const parts = (await requestLog()).filter((entry) => entry.api === 'part')
    expect(parts).toHaveLength(4)
    // The default 30 s must give a retry within 40 s: the same proportion here.
    expect(parts[2]!.startedAt - parts[1]!.startedAt).toBeLessThan((stallTimeout * 40) / 30)
  })

  it('slow link (the server reads 256 KB/s in all): no request is aborted as stalled, though each waits long after its body left', async () => {
    // 4 lanes of 1 MiB at 256 KB/s: each answer comes 16 s after its body left the page, twice stallTimeout
    // (the default 30 s with 4 MiB parts: 64 s).
    await admin('/_admin/throttle', { method: 'POST', body: JSON.stringify({ bytesPerSec: 256 * 1024 }) })
    const blob = randomBlob(8 * MiB)
    const key = uniqueKey('slow-link')
    const manager = await localManager({ stallTimeout: 8000, retriesPerHost: 1 })
    await manager.autoUploader({ partSize: MiB, concurrency: 4 }).upload(blob, { objectName: key })
    const parts = (await requestLog()).filter((entry) => entry.api === 'part')
    expect(parts.map((entry) => entry.status)).toEqual(Array(8).fill(200))
    expect(Math.max(...parts.map((entry) => entry.endedAt - entry.startedAt))).toBeGreaterThan(8000)
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  }, 120_000)
})

describe('13a and 15. the token provider', () => {
  const withProvider = (uploadToken: UploadManagerOptions['uploadToken'], options: Partial<UploadManagerOptions> = {}) =>
    new UploadManager({ bucket: kodo.bucket, upEndpoints: [kodo.url], recorder: new MemoryResumableRecorder(), uploadToken, ...options })

  it('a token that expires under four lanes: one new token for all of them (the fake-provider case is in token-source.test.ts)', async () => {
    // Slow parts, so that the upload outlives the first token: 16 parts of 1 MiB at 1 MiB/s in 4 lanes take
    // at least 4 s, and a token with `expiresIn: 2` lives 2 to 3 s (its deadline is in whole seconds).
    await addFaults({ api: 'part', nth: 1, times: 1000, action: 'throttle', bytesPerSec: MiB })
    let asked = 0
    const manager = withProvider(async () => token(++asked === 1 ? { expiresIn: 2 } : { endUser: `call-${asked}` }))
    const blob = randomBlob(16 * MiB)
    const key = uniqueKey('single-flight')
    await manager.autoUploader({ partSize: MiB, concurrency: 4 }).upload(blob, { objectName: key })
    expect(asked).toBe(2)
    expect((await requestLog()).some((entry) => entry.status === 401)).toBe(true)
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  })

  it('a provider that rejects: kind token, with its message', async () => {
    const manager = withProvider(async () => {
      throw new TypeError('Failed to fetch')
    })
    const error = await rejection(manager.autoUploader().upload(randomBlob(1000), { objectName: uniqueKey('rejects') }))
    expect(error).toMatchObject({ kind: 'token', retryDecision: 'dont-retry' })
    expect(error.message).toMatch(/token provider failed: Failed to fetch/)
  })

  for (const [answer, said] of [
    [undefined, /returned undefined/],
    [null, /returned null/],
    [{ token: 'x' }, /returned an object/],
    ['', /returned an empty string/],
  ] as const) {
    it(`a provider that returns ${JSON.stringify(answer)}: kind token, saying so`, async () => {
      const manager = withProvider((async () => answer) as unknown as () => Promise<string>)
      const error = await rejection(manager.autoUploader().upload(randomBlob(3 * MiB), { objectName: uniqueKey('bad-token') }))
      expect(error.kind).toBe('token')
      expect(error.message).toMatch(said)
    })
  }

  it('a provider that never answers: abort settles at once, and the next upload of the key asks again', async () => {
    let asked = 0
    const pause = new AbortController()
    const manager = withProvider(() => {
      if (++asked > 1) return token()
      setTimeout(() => pause.abort(), 100)
      return new Promise<string>(() => {})
    })
    const key = uniqueKey('never')
    const pending = manager.autoUploader().upload(randomBlob(1000), { objectName: key, signal: pause.signal })
    expect((await within(rejection(pending), 5000)).kind).toBe('aborted')
    const blob = randomBlob(1000)
    await within(manager.autoUploader().upload(blob, { objectName: key }), 10_000)
    expect(asked).toBe(2)
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  })

  it('a provider that never answers, without abort: kind token after the stall timeout, and it is not kept', async () => {
    let asked = 0
    const manager = withProvider(() => (++asked === 1 ? new Promise<string>(() => {}) : token()), { stallTimeout: 1000 })
    const key = uniqueKey('never-timeout')
    const error = await within(rejection(manager.autoUploader().upload(randomBlob(1000), { objectName: key })), 10_000)
    expect(error.kind).toBe('token')
    expect(error.message).toMatch(/did not answer within 1000 ms/)
    await within(manager.autoUploader().upload(randomBlob(1000), { objectName: key }), 10_000)
    expect(asked).toBe(2)
  })
})

describe('4. a stream that stops giving data', () => {
  /** Gives `bytes` of data in 256 KiB chunks, then never another chunk; tells when it is cancelled. */
  function stoppingStream(bytes: number, onCancel: () => void): ReadableStream<Uint8Array> {
    let given = 0
    return new ReadableStream<Uint8Array>(
      {
        pull: (controller) => {
          if (given >= bytes) return new Promise(() => {})
          const chunk = new Uint8Array(Math.min(256 * 1024, bytes - given))
          given += chunk.length
          controller.enqueue(chunk)
        },
        cancel: onCancel,
      },
      { highWaterMark: 0 },
    )
  }

  for (const [where, bytes] of [
    ['while the auto uploader peeks at it', MiB],
    ['after some parts went up', 6 * MiB],
  ] as const) {
    it(`${where}: abort settles at once with kind aborted, and the stream is cancelled`, async () => {
      let cancelled = false
      const pause = new AbortController()
      let parts = 0
      const uploader = (await localManager()).autoUploader({ partSize: MiB, concurrency: 2 }).onPartUploaded(() => void parts++)
      const pending = uploader.upload(stoppingStream(bytes, () => (cancelled = true)), { objectName: uniqueKey('stopping'), signal: pause.signal })
      // Abort once the stream has stopped: after its first part is up, or at once for a stream that stops early.
      if (bytes > MiB) await within(new Promise<void>((resolve) => uploader.onPartUploaded(() => resolve())), 30_000)
      else await new Promise((resolve) => setTimeout(resolve, 300))
      pause.abort()
      expect((await within(rejection(pending), 5000)).kind).toBe('aborted')
      expect(cancelled).toBe(true)
      if (bytes > MiB) expect(parts).toBeGreaterThan(0)
    })
  }

  it('without abort: kind timeout after the no-data timeout, and the stream is cancelled', async () => {
    let cancelled = false
    const manager = await localManager()
    const scheduler = new ConcurrentMultiPartsUploaderScheduler(manager.multiPartsUploader({ version: 'v2' }))
      .setConcurrencyProvider(new FixedConcurrencyProvider(2))
      .setDataPartitionProvider(new FixedDataPartitionProvider(MiB))
    const source = new StreamDataSource(stoppingStream(3 * MiB, () => (cancelled = true)), { noDataTimeout: 1000 })
    const error = await within(rejection(scheduler.upload(source, { objectName: uniqueKey('no-data') })), 15_000)
    expect(error).toMatchObject({ kind: 'timeout', retryDecision: 'dont-retry' })
    expect(error.message).toMatch(/no data for 1000 ms/)
    expect(cancelled).toBe(true)
  })
})

describe('17. no WebCrypto (a plain-http page other than localhost)', () => {
  it('the object hash is computed with the JavaScript SHA-1 and checked: V2, V1 and form uploads complete', async () => {
    const subtle = Object.getOwnPropertyDescriptor(Crypto.prototype, 'subtle')!
    Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined, configurable: true })
    try {
      expect(crypto.subtle).toBeUndefined()
      const manager = await localManager({ hasher: new MainThreadHasher() })
      for (const [version, size] of [['v2', 9 * MiB], ['v1', 9 * MiB], ['v2', 1000]] as const) {
        const blob = randomBlob(size)
        const key = uniqueKey(`no-subtle-${version}`)
        const answer = (await manager.autoUploader({ multiPartsVersion: version, partSize: 4 * MiB }).upload(blob, { objectName: key })) as { hash: string }
        expect(answer.hash).toBe((await storedObject(key)).hash)
        expect((await storedObject(key)).md5).toBe(await md5Of(blob))
      }
    } finally {
      Object.defineProperty(Crypto.prototype, 'subtle', subtle)
    }
  })
})

describe('18. what the README says about callbacks and transports', () => {
  it('an async onUploadProgress that rejects stops the upload with kind callback', async () => {
    const uploader = (await localManager())
      .autoUploader({ partSize: MiB, concurrency: 1 })
      .onUploadProgress(async () => {
        throw new Error('progress bar gone')
      })
    const key = uniqueKey('async-progress')
    const error = await rejection(uploader.upload(randomBlob(6 * MiB), { objectName: key }))
    expect(error).toMatchObject({ kind: 'callback', retryDecision: 'dont-retry' })
    expect(error.message).toMatch(/progress bar gone/)
    expect((await requestLog()).filter((entry) => entry.api === 'complete')).toEqual([])
  })

  it('fetch: window.fetch works as the transport (form and V2)', async () => {
    const manager = await localManager({ fetch: window.fetch })
    for (const size of [1000, 6 * MiB]) {
      const blob = randomBlob(size)
      const key = uniqueKey('window-fetch')
      await manager.autoUploader().upload(blob, { objectName: key })
      expect((await storedObject(key)).md5).toBe(await md5Of(blob))
    }
  })
})
