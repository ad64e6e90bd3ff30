// One test per fault kind the local server can inject, in real Chromium: every upload ends either in a
// byte-identical object or in a typed UploadError, within a bounded time, after exactly the attempts the
// retry decision table (seed §c.5/§e.2, with the library's documented changes) calls for.
import { afterEach, describe, expect, it } from 'vitest'
import { AlwaysMultiParts, AlwaysSinglePart, MemoryResumableRecorder, type ResumableRecorder, type UploadError, type UploadManagerOptions } from '../../src/index.js'
import {
  addFaults,
  admin,
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
  type FaultRule,
} from './helpers.js'

const MiB = 1 << 20
/** The same server under a second name: hosts of one region share their uploads, as Kodo's do. */
const HOST_A = kodo.url
const HOST_B = kodo.url.replace('127.0.0.1', 'localhost')
/** Small, so the suite stays fast: 1 retry per host, and stalls noticed after 1.5 s. */
const FAST: Partial<UploadManagerOptions> = { retriesPerHost: 1, stallTimeout: 1500 }
/**
 * What `statuses` shows for a request that got no answer: its connection was reset, or the client gave up
 * on it. (A stalled server does not read the socket, so it may not have noticed yet: its entry is open.)
 */
const NO_ANSWER = 0
/** No fault may make an upload hang: every settled upload must have taken less than this. */
const BOUND_MS = 15_000

type Mode = 'v2' | 'v1' | 'form'

interface Outcome {
  key: string
  blob: Blob
  error?: UploadError
}

/**
 * Uploads a small random file one part at a time: V2 in 1 MiB parts (3 parts), V1 in 4 MiB blocks
 * (3 blocks), or one form POST. Resolves with the error instead of rejecting.
 */
async function upload(mode: Mode, options: Partial<UploadManagerOptions> = {}, size = mode === 'v1' ? 9 * MiB : 2.5 * MiB): Promise<Outcome> {
  const blob = randomBlob(size)
  const key = uniqueKey(`fault-${mode}`)
  const manager = await localManager({ ...FAST, ...options })
  const uploader = manager.autoUploader({
    policy: mode === 'form' ? new AlwaysSinglePart() : new AlwaysMultiParts(),
    multiPartsVersion: mode === 'v1' ? 'v1' : 'v2',
    partSize: MiB,
    concurrency: 1,
  })
  const started = performance.now()
  const error = await uploader.upload(blob, { objectName: key }).then(
    () => undefined,
    (e: unknown) => e as UploadError,
  )
  expect(performance.now() - started).toBeLessThan(BOUND_MS)
  return { key, blob, error }
}

async function expectStored({ key, blob, error }: Outcome): Promise<void> {
  expect(error).toBeUndefined()
  expect((await storedObject(key)).md5).toBe(await md5Of(blob))
}

async function expectNotStored(key: string): Promise<void> {
  await expect(storedObject(key)).rejects.toThrow(/not found/)
}

/**
 * The statuses of one API's requests, in order. Uploads here send one part at a time, so a fault's
 * retries follow it directly (a faulted entry has no part number: the fault answers before the handler).
 */
async function statuses(api: string): Promise<number[]> {
  return (await requestLog()).filter((entry) => entry.api === api).map((entry) => entry.status ?? NO_ANSWER)
}

/**
 * A rule that never fires but counts the matching requests (`seen`): how many `api` requests reached
 * `host` (the server's log does not record the Host header).
 */
const counter = (api: string, host: string): FaultRule => ({ api, host: new URL(host).host, nth: 1_000_000, action: 'status' })

async function counted(host: string): Promise<number> {
  const { rules } = (await (await admin('/_admin/faults')).json()) as { rules: Array<FaultRule & { seen: number; action: string; nth: number }> }
  return rules.find((rule) => rule.nth === 1_000_000 && rule.host === new URL(host).host)?.seen ?? 0
}

/** The fault hits only requests to host A (by its Host header). */
const onHostA = (rule: FaultRule): FaultRule => ({ ...rule, host: new URL(HOST_A).host })

afterEach(async () => {
  await clearFaults()
  await clearLog()
})

// 5xx: next host (on the last host, the same one again); 509, 573 and the library's 429: throttled, the
// same host again after a longer backoff. Either way a persistent one fails after 1 + retriesPerHost.
describe('retried statuses', () => {
  for (const [status, decision] of [
    [500, 'try-next-server'],
    [502, 'try-next-server'],
    [503, 'try-next-server'],
    [504, 'try-next-server'],
    [599, 'try-next-server'],
    [509, 'throttled'],
    [573, 'throttled'],
    [429, 'throttled'],
  ] as const) {
    const where = decision === 'throttled' ? 'the same host' : 'the next host'
    it(`${status}: one failure sends the part again to ${where}; a persistent one fails typed after 1 + retriesPerHost attempts`, async () => {
      await addFaults([onHostA({ api: 'part', nth: 2, action: 'status', status }), counter('part', HOST_B)])
      await expectStored(await upload('v2', { upEndpoints: [HOST_A, HOST_B] }))
      expect(await statuses('part')).toEqual([200, status, 200, 200])
      expect(await counted(HOST_B)).toBe(decision === 'throttled' ? 0 : 1)

      await clearFaults()
      await clearLog()
      await addFaults({ api: 'part', nth: 1, times: 100, action: 'status', status })
      const { error, key } = await upload('v2')
      expect(error).toMatchObject({ kind: 'status', statusCode: status, retryDecision: decision, api: 'uploadPart' })
      expect(error?.reqId).toMatch(/^[\w-]{16}$/)
      expect(await statuses('part')).toEqual([status, status])
      expect(await statuses('complete')).toEqual([])
      await expectNotStored(key)
    })
  }
})

describe('retriesPerHost, as the options table says', () => {
  it('a persistent 503 on two hosts: the first is left after one attempt, the last gets 1 + retriesPerHost', async () => {
    await addFaults([{ api: 'part', nth: 1, times: 100, action: 'status', status: 503 }, counter('part', HOST_A), counter('part', HOST_B)])
    const { error } = await upload('v2', { upEndpoints: [HOST_A, HOST_B], retriesPerHost: 2 })
    expect(error).toMatchObject({ kind: 'status', statusCode: 503, retryDecision: 'try-next-server' })
    expect(await counted(HOST_A)).toBe(1)
    expect(await counted(HOST_B)).toBe(3)
  })
})

describe('statuses that are not retried', () => {
  for (const [api, mode] of [
    ['init', 'v2'],
    ['part', 'v2'],
    ['complete', 'v2'],
    ['form', 'form'],
    ['mkblk', 'v1'],
    ['mkfile', 'v1'],
  ] as const) {
    it(`400 on ${api}: fails at once with the server's message`, async () => {
      await addFaults({ api, nth: 1, action: 'status', status: 400, error: 'injected bad request' })
      const { error, key } = await upload(mode)
      expect(error).toMatchObject({ kind: 'status', statusCode: 400, retryDecision: 'dont-retry', serverMessage: 'injected bad request' })
      expect(error?.message).toContain('injected bad request')
      expect(await statuses(api)).toEqual([400])
      await expectNotStored(key)
    })
  }

  it('406 on a part (checksum mismatch): a 4xx like the others, not sent again', async () => {
    await addFaults({ api: 'part', nth: 2, action: 'status', status: 406, error: 'md5 mismatch' })
    const { error } = await upload('v2')
    expect(error).toMatchObject({ kind: 'status', statusCode: 406, retryDecision: 'dont-retry', api: 'uploadPart' })
    expect(await statuses('part')).toEqual([200, 406])
  })

  it('579 on complete: the callback failed; never sent again', async () => {
    await addFaults({ api: 'complete', nth: 1, action: 'status', status: 579 })
    const { error } = await upload('v2')
    expect(error).toMatchObject({ kind: 'status', statusCode: 579, retryDecision: 'dont-retry', api: 'completeParts' })
    expect(error?.message).toMatch(/callback/)
    expect(await statuses('complete')).toEqual([579])
  })

  it('612 on a part of a fresh upload: fails, no second initParts (only a resumed attempt starts over)', async () => {
    await addFaults({ api: 'part', nth: 2, action: 'status', status: 612 })
    const { error } = await upload('v2')
    expect(error).toMatchObject({ kind: 'status', statusCode: 612, retryDecision: 'dont-retry', api: 'uploadPart' })
    expect(await statuses('part')).toEqual([200, 612])
    expect(await statuses('init')).toEqual([200])
  })

  it('612 on complete of a fresh upload: maybe-committed (a first copy of the call may have taken effect), never a start-over', async () => {
    await addFaults({ api: 'complete', nth: 1, action: 'status', status: 612 })
    const { error } = await upload('v2')
    expect(error).toMatchObject({ kind: 'maybe-committed', api: 'completeParts', cause: { kind: 'status', statusCode: 612 } })
    expect(await statuses('init')).toEqual([200])
    expect(await statuses('complete')).toEqual([612])
  })

  it('701 on mkblk of a fresh V1 upload: fails at once', async () => {
    await addFaults({ api: 'mkblk', nth: 2, action: 'status', status: 701 })
    const { error } = await upload('v1')
    expect(error).toMatchObject({ kind: 'status', statusCode: 701, retryDecision: 'dont-retry', api: 'mkblk' })
    expect(await statuses('mkblk')).toEqual([200, 701])
  })

  it('701 on mkfile after a resumed V1 attempt: the blocks are uploaded again once, then it completes', async () => {
    const recorder = new MemoryResumableRecorder()
    const blob = randomBlob(9 * MiB)
    const key = uniqueKey('fault-v1-resumed')
    expect((await rejection(uploadV1(recorder, blob, key, 1))).kind).toBe('aborted')
    await clearLog()
    await addFaults({ api: 'mkfile', nth: 1, action: 'status', status: 701 })
    await uploadV1(recorder, blob, key)
    expect(await statuses('mkfile')).toEqual([701, 200])
    // Blocks 2 and 3 of the resumed attempt, then all three again.
    expect(await statuses('mkblk')).toEqual([200, 200, 200, 200, 200])
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  })

  it('401 with a fixed token: fails at once and says the token cannot be renewed', async () => {
    await addFaults({ api: 'part', nth: 2, action: 'status', status: 401, error: 'expired token' })
    const { error } = await upload('v2')
    expect(error).toMatchObject({ kind: 'status', statusCode: 401, retryDecision: 'dont-retry' })
    expect(error?.message).toMatch(/fixed token/)
    expect(await statuses('part')).toEqual([200, 401])
  })

  it('401 expired token with a token provider: each API asks for a new token once and carries on', async () => {
    await addFaults([
      { api: 'init', nth: 1, action: 'status', status: 401, error: 'expired token' },
      { api: 'part', nth: 2, action: 'status', status: 401, error: 'expired token' },
      { api: 'complete', nth: 1, action: 'status', status: 401, error: 'expired token' },
    ])
    let asked = 0
    const outcome = await upload('v2', {
      bucket: kodo.bucket,
      // Each call signs a different token (a real token service signs a new deadline).
      uploadToken: async () => token({ endUser: `call-${++asked}` }),
    })
    await expectStored(outcome)
    expect(asked).toBe(4)
    expect(await statuses('init')).toEqual([401, 200])
    expect(await statuses('part')).toEqual([200, 401, 200, 200])
    expect(await statuses('complete')).toEqual([401, 200])
  })
})

/** Uploads V1 blocks one at a time with `recorder`; with `pauseAfter`, pauses (aborts) after that many blocks. */
async function uploadV1(recorder: ResumableRecorder, blob: Blob, key: string, pauseAfter?: number): Promise<unknown> {
  const pause = new AbortController()
  let blocks = 0
  const uploader = (await localManager({ ...FAST, recorder }))
    .autoUploader({ policy: new AlwaysMultiParts(), multiPartsVersion: 'v1', concurrency: 1 })
    .onPartUploaded(() => {
      if (++blocks === pauseAfter) pause.abort()
    })
  return uploader.upload(blob, { objectName: key, signal: pause.signal })
}

describe('transport faults', () => {
  it('connection reset before the body (initParts) and mid-body (a part): retried, completes', async () => {
    await addFaults([
      { api: 'init', nth: 1, action: 'reset' },
      { api: 'part', nth: 2, action: 'reset', when: 'during-body' },
    ])
    await expectStored(await upload('v2'))
    expect(await statuses('init')).toEqual([NO_ANSWER, 200])
    expect(await statuses('part')).toEqual([200, NO_ANSWER, 200, 200])
  })

  it('connection reset on complete and on a form upload: sent again, completes', async () => {
    await addFaults({ api: 'complete', nth: 1, action: 'reset' })
    await expectStored(await upload('v2'))
    expect(await statuses('complete')).toEqual([NO_ANSWER, 200])
    await addFaults({ api: 'form', nth: 1, action: 'reset', when: 'during-body' })
    await expectStored(await upload('form'))
    expect(await statuses('form')).toEqual([NO_ANSWER, 200])
  })

  it('stall before the body: aborted after stallTimeout and retried; a persistent stall fails with kind timeout', async () => {
    await addFaults({ api: 'part', nth: 2, action: 'stall', seconds: 6 })
    await expectStored(await upload('v2'))
    expect(await statuses('part')).toEqual([200, NO_ANSWER, 200, 200])

    await clearLog()
    await addFaults({ api: 'init', nth: 1, times: 100, action: 'stall', seconds: 6 })
    const { error } = await upload('v2')
    expect(error).toMatchObject({ kind: 'timeout', retryDecision: 'retry-request', api: 'initParts' })
    expect(await statuses('init')).toEqual([NO_ANSWER, NO_ANSWER])
  })

  it('stall in the middle of a part body: aborted and sent again', async () => {
    await addFaults({ api: 'part', nth: 1, action: 'stall', seconds: 6, when: 'during-body' })
    await expectStored(await upload('v2'))
    expect(await statuses('part')).toEqual([NO_ANSWER, 200, 200, 200])
  })

  // XHR reports a body as sent once it is in the socket buffers; the stall timer must allow for those
  // bytes draining at the link's pace: see 'slow link' in http-integrity.test.ts.

  it('a 200 without X-Reqid is accepted as is (browsers may hide the header), no retry', async () => {
    await addFaults([
      { api: 'part', nth: 2, action: 'omit-reqid' },
      { api: 'complete', nth: 1, action: 'omit-reqid' },
    ])
    await expectStored(await upload('v2'))
    expect(await statuses('part')).toEqual([200, 200, 200])
    expect(await statuses('complete')).toEqual([200])
  })

  it('a non-JSON (HTML) 502 from a proxy keeps its status: retried; persistent, it fails typed without a server message', async () => {
    await addFaults({ api: 'part', nth: 2, action: 'non-json', status: 502 })
    await expectStored(await upload('v2'))
    expect(await statuses('part')).toEqual([200, 502, 200, 200])

    await clearLog()
    await addFaults({ api: 'init', nth: 1, times: 100, action: 'non-json', status: 502 })
    const { error } = await upload('v2')
    expect(error).toMatchObject({ kind: 'status', statusCode: 502, retryDecision: 'try-next-server', serverMessage: undefined })
    expect(await statuses('init')).toEqual([502, 502])
  })

  it('a truncated 200 JSON on an idempotent call (part, form) is retried and completes', async () => {
    await addFaults([
      { api: 'part', nth: 2, action: 'truncated-json' },
      { api: 'form', nth: 1, action: 'truncated-json' },
    ])
    await expectStored(await upload('v2'))
    expect(await statuses('part')).toEqual([200, 200, 200, 200])
    await expectStored(await upload('form'))
    expect(await statuses('form')).toEqual([200, 200])
  })

  it('a truncated 200 JSON on complete (not idempotent) is not sent again: listParts finds the upload gone, kind maybe-committed', async () => {
    await addFaults({ api: 'complete', nth: 1, action: 'truncated-json' })
    const { error, key, blob } = await upload('v2')
    const stored = await storedObject(key)
    expect(error).toMatchObject({ kind: 'maybe-committed', retryDecision: 'dont-retry', api: 'completeParts', key, hash: stored.hash })
    expect(error?.cause).toMatchObject({ kind: 'parse' })
    expect(await statuses('complete')).toEqual([200])
    expect(await statuses('list')).toEqual([612])
    expect(stored.md5).toBe(await md5Of(blob))
  })
})

describe('throttling answers lower the concurrency, which then climbs back', () => {
  type Feedback = { concurrency: number; objectSize: number; error?: unknown }

  /** Uploads `size` bytes in 1 MiB parts over 4 lanes; resolves with what the concurrency provider was told. */
  async function uploadOverFourLanes(size: number): Promise<Feedback[]> {
    const feedback: Feedback[] = []
    const provider = { concurrency: () => 4, feedback: (f: Feedback) => void feedback.push(f) }
    const blob = randomBlob(size)
    const key = uniqueKey('throttled')
    await (await localManager(FAST)).autoUploader({ partSize: MiB, concurrency: provider }).upload(blob, { objectName: key })
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
    return feedback
  }

  /** Slow bodies, so that the lanes overlap on the server. */
  const slowParts: FaultRule = { api: 'part', nth: 1, times: 1000, action: 'throttle', bytesPerSec: 8 * MiB }

  /** For each part request, how many part requests the server was handling when it started (itself included). */
  function inFlightAtStart(parts: Array<{ startedAt: number; endedAt: number }>): number[] {
    return parts.map((part) => parts.filter((other) => other.startedAt <= part.startedAt && other.endedAt > part.startedAt).length)
  }

  // 429, 509 and 573 are throttling: they halve the lanes.
  for (const status of [429]) {
    it(`${status}: the lanes halve and the concurrency provider is told, then all 4 lanes run again`, async () => {
      await addFaults([{ api: 'part', nth: 9, action: 'status', status }, slowParts])
      const feedback = await uploadOverFourLanes(56 * MiB)
      expect(feedback.map(({ concurrency, objectSize }) => ({ concurrency, objectSize }))).toEqual([
        { concurrency: 2, objectSize: 0 },
        { concurrency: 4, objectSize: 56 * MiB },
      ])
      expect(feedback[0]!.error).toMatchObject({ statusCode: status })

      // On the wire: 4 parts at once before the answer, and again once the throttled part's retry runs.
      // (In between, the lane waiting out its backoff keeps a slot, so at most 3 parts go at once whatever
      // the limit; the halving shows in the feedback above.)
      const parts = (await requestLog()).filter((entry) => entry.api === 'part').sort((a, b) => a.startedAt - b.startedAt)
      expect(parts).toHaveLength(57)
      const counts = inFlightAtStart(parts)
      const throttled = parts.findIndex((entry) => entry.status === status)
      expect(Math.max(...counts.slice(0, throttled))).toBe(4)
      // Lanes take parts in order: the retry is the lowest part number sent after the answer.
      const retry = parts.slice(throttled + 1).reduce((low, entry) => (entry.partNumber! < low.partNumber! ? entry : low))
      expect(Math.max(...counts.filter((_, i) => parts[i]!.startedAt >= retry.startedAt))).toBe(4)
    })
  }

  it('503 is a server error, not throttling: the part goes to the next host and the lanes stay', async () => {
    await addFaults([{ api: 'part', nth: 9, action: 'status', status: 503 }, slowParts])
    const feedback = await uploadOverFourLanes(16 * MiB)
    expect(feedback.map(({ concurrency, objectSize }) => ({ concurrency, objectSize }))).toEqual([{ concurrency: 4, objectSize: 16 * MiB }])
  })

  it('509 and 573 halve the lanes as well, each time one comes', async () => {
    await addFaults([{ api: 'part', nth: 3, action: 'status', status: 509 }, { api: 'part', nth: 12, action: 'status', status: 573 }, slowParts])
    const feedback = await uploadOverFourLanes(16 * MiB)
    const throttling = feedback.filter((f) => f.objectSize === 0)
    expect(throttling.map((f) => (f.error as UploadError).statusCode)).toEqual([509, 573])
    // 4 → 2 on the first; the second halves whatever the limit has climbed back to by then.
    expect(throttling[0]!.concurrency).toBe(2)
    expect(throttling[1]!.concurrency).toBeLessThanOrEqual(2)
    expect(feedback.at(-1)).toMatchObject({ concurrency: 4, objectSize: 16 * MiB })
  })
})
