// What the caller (or the user's machine) can get wrong: empty and huge sources, wrong tokens and keys,
// files that change under the upload, broken streams and storage, and aborts at every stage. Each ends
// in a stored object or a typed UploadError, never a hang.
import { afterEach, describe, expect, it } from 'vitest'
import { commands, userEvent } from 'vitest/browser'
import {
  AlwaysMultiParts,
  BlobDataSource,
  ConcurrentMultiPartsUploaderScheduler,
  FixedDataPartitionProvider,
  findRecord,
  IndexedDbResumableRecorder,
  MemoryResumableRecorder,
  UploadManager,
  UploadQueue,
  WorkerHasherPool,
  xhrFetch,
  type DataSource,
  type MultiPartsV2Uploader,
  type UploadedPart,
  type UploadManagerOptions,
} from '../../src/index.js'
import {
  addFaults,
  clearFaults,
  clearLog,
  kodo,
  localManager,
  md5Of,
  randomBlob,
  rejection,
  requestLog,
  storedObject,
  token,
  uniqueKey,
} from './helpers.js'

const MiB = 1 << 20
const GiB = 1024 * MiB
const EMPTY_HASH = 'Fto5o-5ea0sNMlW_75VgGJCv2AcJ'

const apis = async () => (await requestLog()).filter((entry) => entry.api !== 'preflight').map((entry) => `${entry.api}:${entry.status}`)

afterEach(async () => {
  await clearFaults()
  await clearLog()
})

describe('what is not a file', () => {
  const notFiles: Array<[string, unknown]> = [
    ['undefined (`input.files[0]` of an empty file input)', undefined],
    ['null', null],
    ['a string', 'photo.jpg'],
    ['an ArrayBuffer', new ArrayBuffer(8)],
    ['a Uint8Array', new Uint8Array(8)],
    ['a plain object', { name: 'photo.jpg', size: 8 }],
  ]
  for (const [what, input] of notFiles) {
    it(`${what}: invalid-input from every entry point, before any request`, async () => {
      // Counted at the transport: requests of other tests' uploads may still reach the server's log.
      let sent = 0
      const manager = await localManager({
        fetch: (request, options) => {
          sent++
          return xhrFetch(request, options)
        },
      })
      const given = input as never
      const calls: Array<() => unknown> = [
        () => manager.autoUploader().upload(given, { objectName: 'x' }),
        () => manager.autoUploader().cancel(given, { objectName: 'x' }),
        () => manager.formUploader().upload(given, { objectName: 'x' }),
        () => new BlobDataSource(given),
        () => new ConcurrentMultiPartsUploaderScheduler(manager.multiPartsUploader()).upload(given, { objectName: 'x' }),
        () => new UploadQueue(manager).add(given, { objectName: 'x' }),
        () => findRecord(manager, given),
      ]
      for (const call of calls) {
        const error = await rejection(Promise.resolve().then(call))
        expect(error.kind).toBe('invalid-input')
        expect(error.message).toMatch(/takes .*; it was given \S+/)
      }
      expect(sent).toBe(0)
    })
  }

  it('params, uploader options and manager options of the wrong type: invalid-input that names the option, before any request', async () => {
    let sent = 0
    const fetch: UploadManagerOptions['fetch'] = (request, options) => {
      sent++
      return xhrFetch(request, options)
    }
    const manager = await localManager({ fetch })
    const file = randomBlob(5 * MiB)
    const wrong: Array<[RegExp, () => unknown]> = [
      [/`signal` is an AbortSignal: pass `controller.signal`, not the controller; it was given AbortController/, () => manager.autoUploader().upload(file, { signal: new AbortController() as never })],
      [/`upEndpoints` is a list of hosts.*; it was given "https:\/\/up.example"/, () => manager.autoUploader().upload(file, { upEndpoints: 'https://up.example' as never })],
      [/`objectName` is a string; it was given 42/, () => manager.autoUploader().upload(file, { objectName: 42 as never })],
      [/`metadata` is an object/, () => manager.formUploader().upload(file, { metadata: 'owner=ann' as never })],
      [/params are an object; it was given null/, () => manager.autoUploader().upload(file, null as never)],
      [/params are an object; it was given null/, () => new UploadQueue(manager).add(new File([file], 'a.bin'), null as never)],
      [/`multiPartsVersion` is 'v1' or 'v2'; it was given "V1"/, () => manager.autoUploader({ multiPartsVersion: 'V1' as never })],
      [/`scheduler` is 'serial' or 'concurrent'/, () => manager.autoUploader({ scheduler: 'parallel' as never })],
      [/`concurrency` is a positive integer; it was given 0/, () => manager.autoUploader({ concurrency: 0 }).upload(file)],
      [/`concurrency` is a number of lanes or a ConcurrencyProvider; it was given "4"/, () => manager.autoUploader({ concurrency: '4' as never }).upload(file)],
      [/`partSize` is a number of bytes or a DataPartitionProvider; it was given "4MB"/, () => manager.autoUploader({ partSize: '4MB' as never })],
      [/`policy` is a ResumablePolicyProvider/, () => manager.autoUploader({ policy: 'multi-parts' as never })],
      [/`concurrency` is a number of lanes or a ConcurrencyProvider/, () => new ConcurrentMultiPartsUploaderScheduler(manager.multiPartsUploader()).setConcurrencyProvider('4' as never)],
      [/`files` is a positive integer; it was given 0/, () => new UploadQueue(manager, { files: 0 })],
      [/`workers` is a number; it was given "two"/, () => new WorkerHasherPool({ workers: 'two' as never })],
      [/`uploadToken` is a token or a function that resolves to one; it was given undefined/, () => new UploadManager({ uploadToken: undefined as never, fetch })],
      [/`upEndpoints` is a list of hosts.*; it was given Array/, async () => new UploadManager({ uploadToken: await token(), upEndpoints: [], fetch })],
    ]
    for (const [message, call] of wrong) {
      const error = await rejection(Promise.resolve().then(call))
      expect(error.kind).toBe('invalid-input')
      expect(error.message).toMatch(message)
    }
    expect(sent).toBe(0)
    // A number is that many lanes (or bytes per part), fixed.
    await new ConcurrentMultiPartsUploaderScheduler(manager.multiPartsUploader()).setConcurrencyProvider(2).setDataPartitionProvider(MiB).upload(new BlobDataSource(file), { objectName: uniqueKey('numbers') })
  })

  it('a File made in another frame (where `instanceof Blob` is false) uploads as a File', async () => {
    const frame = document.createElement('iframe')
    document.body.append(frame)
    const bytes = randomBlob(100_000)
    const FrameFile = (frame.contentWindow as unknown as { File: typeof File }).File
    const file = new FrameFile([await bytes.arrayBuffer()], 'framed.bin', { type: 'application/x-framed' })
    expect(file instanceof Blob).toBe(false)
    const key = uniqueKey('framed')
    await (await localManager()).autoUploader().upload(file, { objectName: key })
    frame.remove()
    expect(await storedObject(key)).toMatchObject({ md5: await md5Of(bytes), fname: 'framed.bin', mimeType: 'application/x-framed' })
    expect(await apis()).toEqual(['form:200'])
  })
})

describe('empty sources', () => {
  it('an empty file goes through the form upload', async () => {
    const key = uniqueKey('empty')
    const answer = await (await localManager()).autoUploader().upload(new File([], 'empty.txt'), { objectName: key })
    expect(answer).toEqual({ hash: EMPTY_HASH, key })
    expect(await storedObject(key)).toMatchObject({ fsize: 0, hash: EMPTY_HASH })
    expect(await apis()).toEqual(['form:200'])
  })

  it('an empty stream goes through the form upload', async () => {
    const key = uniqueKey('empty-stream')
    const stream = new ReadableStream<Uint8Array>({ start: (controller) => controller.close() })
    expect(await (await localManager()).autoUploader().upload(stream, { objectName: key })).toEqual({ hash: EMPTY_HASH, key })
  })

  it('V2 multi-part refuses an empty source with invalid-input before any request (Kodo rejects `parts: []`)', async () => {
    const manager = await localManager()
    const scheduler = new ConcurrentMultiPartsUploaderScheduler(manager.multiPartsUploader({ version: 'v2' }))
    const direct = await rejection(scheduler.upload(new BlobDataSource(new Blob([])), { objectName: uniqueKey('empty-v2') }))
    expect(direct.kind).toBe('invalid-input')
    const forced = await rejection(manager.autoUploader({ policy: new AlwaysMultiParts() }).upload(new Blob([]), { objectName: uniqueKey('empty-v2') }))
    expect(forced.kind).toBe('invalid-input')
    expect(await apis()).toEqual([])
  })
})

describe('sources too large for the default part size', () => {
  /** A source of `size` bytes that lays out every part with the uploader's sizer (once), then says it is done. */
  function layoutProbe(size: number) {
    const layout: number[] = []
    const source: DataSource = {
      async slice(sizer) {
        // Laid out on the first call only: the uploader also takes parts ahead.
        if (layout.length > 0) return null
        for (let offset = 0, partNumber = 1; offset < size; partNumber++) {
          const partSize = Math.min(sizer(offset, partNumber), size - offset)
          layout.push(partSize)
          offset += partSize
        }
        return null
      },
      async reset() {},
      sourceKey: async () => null,
      totalSize: () => size,
      describe: () => ({}),
    }
    return { source, layout }
  }

  // providers.test.ts checks the first part's size; this checks the whole layout, part by part.
  it('a source that would need more than 10 000 parts of 1 MiB gets larger parts, 10 000 at most', async () => {
    const size = 20 * GiB + 12345
    const { source, layout } = layoutProbe(size)
    const uploader = (await localManager()).multiPartsUploader() as MultiPartsV2Uploader
    const partSize = new FixedDataPartitionProvider(MiB)
    await uploader.uploadPart(await uploader.initializeParts(source, { objectName: uniqueKey('huge') }, partSize), partSize)
    expect(layout.length).toBeLessThanOrEqual(10_000)
    expect(layout.reduce((sum, part) => sum + part, 0)).toBe(size)
    expect(layout.slice(0, -1).every((part) => part % MiB === 0 && part >= MiB)).toBe(true)
  })

  // The size alone says it cannot be done: no initParts is sent for it.
  it('a source larger than 10 000 parts of 1 GiB (the V2 maximum) is refused as invalid-input before any request', async () => {
    const { source } = layoutProbe(10_001 * GiB)
    const scheduler = new ConcurrentMultiPartsUploaderScheduler((await localManager()).multiPartsUploader())
    const error = await rejection(scheduler.upload(source, { objectName: uniqueKey('too-huge') }))
    expect(await apis()).toEqual([])
    expect(error.kind).toBe('invalid-input')
  })
})

describe('tokens and keys the server refuses', () => {
  it('a fixed token for another bucket: the server answers 631, not retried', async () => {
    const manager = new UploadManager({ uploadToken: await token({ bucket: 'another-bucket' }), upEndpoints: [kodo.url], recorder: new MemoryResumableRecorder() })
    const error = await rejection(manager.autoUploader().upload(randomBlob(1000), { objectName: uniqueKey('bucket') }))
    expect(error).toMatchObject({ kind: 'status', statusCode: 631, retryDecision: 'dont-retry' })
    expect(error.message).toMatch(/bucket does not exist/)
    expect(await apis()).toEqual(['form:631'])
  })

  /** A manager whose token provider answers with `tokenFor(n)` on its n-th call; `calls()` counts them. */
  function providerManager(tokenFor: (call: number) => Promise<string>) {
    let asked = 0
    const manager = new UploadManager({
      bucket: kodo.bucket,
      upEndpoints: [kodo.url],
      recorder: new MemoryResumableRecorder(),
      uploadToken: () => tokenFor(++asked),
    })
    return { manager, calls: () => asked }
  }

  for (const [what, tokenFor, serverMessage] of [
    ['handing out tokens for another bucket', (call: number) => token({ bucket: 'another-bucket', endUser: `call-${call}` }), 'bad token'],
    // Signed afresh each time, but already past its deadline.
    ['that keeps returning expired tokens', (call: number) => token({ expiresIn: -60, endUser: `call-${call}` }), 'expired token'],
  ] as const) {
    it(`a provider ${what}: 401 "${serverMessage}", one new token asked for, then a readable error`, async () => {
      const { manager, calls } = providerManager(tokenFor)
      const error = await rejection(manager.autoUploader().upload(randomBlob(5 * MiB), { objectName: uniqueKey('token') }))
      expect(error).toMatchObject({ kind: 'status', statusCode: 401, retryDecision: 'dont-retry', serverMessage })
      expect(error.message).toMatch(/token/)
      expect(calls()).toBe(2)
      expect(await apis()).toEqual(['init:401', 'init:401'])
    })
  }

  it('a key that exists under insertOnly: 614 from form upload and from complete, not retried', async () => {
    const key = uniqueKey('exists')
    await (await localManager()).autoUploader().upload(randomBlob(1000), { objectName: key })
    await clearLog()
    const insertOnly = await localManager({ uploadToken: await token({ key, insertOnly: 1 }) })
    const form = await rejection(insertOnly.autoUploader().upload(randomBlob(1000), { objectName: key }))
    expect(form).toMatchObject({ kind: 'status', statusCode: 614, retryDecision: 'dont-retry', api: 'form' })
    expect(form.message).toMatch(/already exists/)
    const parts = await rejection(insertOnly.autoUploader().upload(randomBlob(5 * MiB), { objectName: key }))
    expect(parts).toMatchObject({ kind: 'status', statusCode: 614, retryDecision: 'dont-retry', api: 'completeParts' })
    expect((await apis()).filter((call) => !call.startsWith('part'))).toEqual(['form:614', 'init:200', 'complete:614'])
  })
})

describe('sources that fail while being read', () => {
  /** A real file on disk, picked through an <input type=file>: a file-backed File, as users give. */
  async function pickFile(name: string, size: number): Promise<{ file: File; path: string }> {
    const path = `test/results/bad-input/${uniqueKey(name)}.bin`
    // Written from base64 text, the way the commands API carries bytes; the content is irrelevant.
    await commands.writeFile(path, btoa('\x00\x01\x02'.repeat(MiB)).repeat(size / (3 * MiB)), 'base64')
    const input = document.createElement('input')
    input.type = 'file'
    document.body.append(input)
    await userEvent.upload(input, path)
    const file = input.files![0]!
    input.remove()
    expect(file.size).toBe(size)
    return { file, path }
  }

  // The part after the removal was hashed ahead, before the removal, so it is the XHR sending it that
  // finds the file gone; the transport tells that apart from a lost connection.
  it('a file removed from disk between parts: local-io, and the record is kept for a later resume', async () => {
    const { file, path } = await pickFile('removed', 12 * MiB)
    const recorder = new MemoryResumableRecorder()
    let parts = 0
    const uploader = (await localManager({ recorder })).autoUploader({ concurrency: 1, partSize: MiB }).onPartUploaded(async () => {
      if (++parts === 2) await commands.removeFile(path)
    })
    const error = await rejection(uploader.upload(file, { objectName: uniqueKey('removed') }))
    expect(error.kind).toBe('local-io')
    expect((await recorder.entries())[0]?.[1].parts.length).toBeGreaterThanOrEqual(2)
  })

  // Chromium fails the XHR whose Blob body changed on disk like a lost connection; retrying would
  // fail the same way, so the transport reads the Blob to tell the two apart.
  it('a file truncated on disk while a part is being sent: local-io, not network', async () => {
    const { file, path } = await pickFile('truncated', 12 * MiB)
    await addFaults({ api: 'part', nth: 1, times: 100, action: 'throttle', bytesPerSec: 2 * MiB })
    const recorder = new MemoryResumableRecorder()
    let truncated = false
    const uploader = (await localManager({ recorder, retriesPerHost: 1 })).autoUploader({ concurrency: 1, partSize: 8 * MiB }).onUploadProgress((progress) => {
      if (truncated || progress.transferredBytes < MiB) return
      truncated = true
      void commands.writeFile(path, 'short now')
    })
    const error = await rejection(uploader.upload(file, { objectName: uniqueKey('truncated') }))
    await commands.removeFile(path)
    expect(error.kind).toBe('local-io')
    expect(await recorder.entries()).toHaveLength(1)
  })

  /** A stream that gives `goodBytes` of data, then errors. */
  function failingStream(goodBytes: number): ReadableStream<Uint8Array> {
    let sent = 0
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= goodBytes) return controller.error(new Error('disk went away'))
        const chunk = new Uint8Array(Math.min(256 * 1024, goodBytes - sent))
        sent += chunk.length
        controller.enqueue(chunk)
      },
    })
  }

  /** Runs `body` and returns the promise rejections nobody handled meanwhile (and just after). */
  async function unhandledRejections(body: () => Promise<void>): Promise<unknown[]> {
    const reasons: unknown[] = []
    const onUnhandled = (event: PromiseRejectionEvent) => void reasons.push(event.reason)
    addEventListener('unhandledrejection', onUnhandled)
    try {
      await body()
      await new Promise((resolve) => setTimeout(resolve, 200))
    } finally {
      removeEventListener('unhandledrejection', onUnhandled)
    }
    return reasons
  }

  // In the multi-part case the part read ahead rejects too; that must not surface as an unhandled rejection.
  for (const [when, goodBytes] of [
    ['while the auto uploader peeks at it', 1 * MiB],
    ['in the middle of a multi-part upload', 9 * MiB],
  ] as const) {
    it(`a stream that errors ${when}: local-io with the stream's message, nothing completed, no unhandled rejection`, async () => {
      const unhandled = await unhandledRejections(async () => {
        const uploader = (await localManager()).autoUploader({ partSize: MiB })
        const error = await rejection(uploader.upload(failingStream(goodBytes), { objectName: uniqueKey('stream') }))
        expect(error.kind).toBe('local-io')
        expect(error.message).toMatch(/disk went away/)
      })
      expect((await apis()).filter((call) => call.startsWith('complete') || call.startsWith('form'))).toEqual([])
      expect(unhandled.map(String)).toEqual([])
    })
  }
})

describe('IndexedDB missing or broken', () => {
  /** Runs `body` with `indexedDB` replaced, then puts the real one back. */
  async function withIndexedDb(replacement: unknown, body: () => Promise<void>): Promise<void> {
    const real = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB')
    Object.defineProperty(globalThis, 'indexedDB', { value: replacement, configurable: true })
    try {
      await body()
    } finally {
      Object.defineProperty(globalThis, 'indexedDB', real!)
    }
  }

  const throwing = { open: () => { throw new DOMException('The user denied storage', 'SecurityError') } }

  for (const [what, replacement] of [
    ['missing', undefined],
    ['throwing on open', throwing],
  ] as const) {
    it(`IndexedDB ${what}: the upload completes, with one warning`, async () => {
      await withIndexedDb(replacement, async () => {
        const warnings: string[] = []
        // No recorder given: the manager's default, IndexedDB.
        const options: Partial<UploadManagerOptions> = { recorder: undefined, onWarning: (message) => void warnings.push(message) }
        const blob = randomBlob(9 * MiB)
        const key = uniqueKey('no-idb')
        await (await localManager(options)).autoUploader().upload(blob, { objectName: key })
        expect((await storedObject(key)).md5).toBe(await md5Of(blob))
        expect(warnings).toHaveLength(1)
        expect(warnings[0]).toMatch(/IndexedDB/)
      })
    })
  }

  it('IndexedDB that never answers (an open blocked for good): the upload completes after one recorder timeout, with one warning', async () => {
    // A request whose events never fire, as an open blocked by another connection's upgrade.
    let opens = 0
    const hungOpen = () => {
      opens++
      return {}
    }
    await withIndexedDb({ open: hungOpen }, async () => {
      const warnings: string[] = []
      const recorder = new IndexedDbResumableRecorder({ dbName: uniqueKey('hung-idb'), timeout: 300, onWarning: (message) => void warnings.push(message) })
      const blob = randomBlob(9 * MiB)
      const key = uniqueKey('hung-idb')
      await (await localManager({ recorder })).autoUploader().upload(blob, { objectName: key })
      expect((await storedObject(key)).md5).toBe(await md5Of(blob))
      expect(warnings).toEqual([expect.stringMatching(/IndexedDB/)])
      // Given up at the first timeout: a second connection would only have made the upload wait again.
      expect(opens).toBe(1)
    })
  })
})

describe('abort at every stage: kind aborted, and a resumable upload keeps its record', () => {
  const file = () => new File([randomBlob(9 * MiB)], 'abort.bin', { lastModified: 1 })

  interface Hooks {
    signal?: AbortSignal
    onRequest?: (api: string) => void
    onPart?: (count: number) => void
  }

  /** Uploads 1 MiB parts two at a time; resolves with the parts it reported (resumed ones included). */
  async function uploadWith(recorder: MemoryResumableRecorder, blob: Blob, key: string, hooks: Hooks = {}): Promise<UploadedPart[]> {
    const parts: UploadedPart[] = []
    const uploader = (await localManager({ recorder, stallTimeout: 10_000 }))
      .autoUploader({ concurrency: 2, partSize: MiB })
      .onPartUploaded((part) => {
        const count = parts.push(part)
        hooks.onPart?.(count)
      })
      .onBeforeRequest((request) => hooks.onRequest?.(request.api))
    await uploader.upload(blob, { objectName: key, signal: hooks.signal })
    return parts
  }

  /** Aborts `controller` a moment after `api` is sent, while its request is on the wire. */
  const abortDuring = (api: string, controller: AbortController) => (sent: string) => {
    if (sent === api) setTimeout(() => controller.abort(), 300)
  }

  it('before the upload starts, and while initParts is on its way: nothing to resume, a later upload starts afresh', async () => {
    const recorder = new MemoryResumableRecorder()
    const blob = file()
    const key = uniqueKey('abort-init')
    expect((await rejection(uploadWith(recorder, blob, key, { signal: AbortSignal.abort() }))).kind).toBe('aborted')
    await addFaults({ api: 'init', nth: 1, action: 'stall', seconds: 3 })
    const controller = new AbortController()
    const during = await rejection(uploadWith(recorder, blob, key, { signal: controller.signal, onRequest: abortDuring('initParts', controller) }))
    expect(during.kind).toBe('aborted')
    expect(await recorder.entries()).toEqual([])
    await uploadWith(recorder, blob, key)
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  })

  it('while a part is being sent: the record is kept and a later upload resumes without a new initParts', async () => {
    await addFaults({ api: 'part', nth: 1, times: 100, action: 'throttle', bytesPerSec: 4 * MiB })
    const recorder = new MemoryResumableRecorder()
    const blob = file()
    const key = uniqueKey('abort-part')
    const controller = new AbortController()
    const onPart = (count: number) => count === 3 && controller.abort()
    expect((await rejection(uploadWith(recorder, blob, key, { signal: controller.signal, onPart }))).kind).toBe('aborted')
    expect(await recorder.entries()).toHaveLength(1)
    await clearFaults()
    await clearLog()
    const parts = await uploadWith(recorder, blob, key)
    expect(parts.filter((part) => part.resumed).length).toBeGreaterThanOrEqual(3)
    expect((await apis()).filter((call) => call.startsWith('init'))).toEqual([])
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  })

  it('while completeParts is on its way: the record is kept and a later upload only completes', async () => {
    // The first complete stalls long enough for the test to abort it and resume before it wakes up.
    await addFaults({ api: 'complete', nth: 1, action: 'stall', seconds: 8 })
    const recorder = new MemoryResumableRecorder()
    const blob = file()
    const key = uniqueKey('abort-complete')
    const controller = new AbortController()
    const first = await rejection(uploadWith(recorder, blob, key, { signal: controller.signal, onRequest: abortDuring('completeParts', controller) }))
    expect(first.kind).toBe('aborted')
    expect(await recorder.entries()).toHaveLength(1)
    await clearLog()
    const parts = await uploadWith(recorder, blob, key)
    expect(parts.every((part) => part.resumed)).toBe(true)
    expect(await apis()).toEqual(['list:200', 'complete:200'])
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  })
})
