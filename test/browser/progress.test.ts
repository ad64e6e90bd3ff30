// Issue 11, bug 16: progress never goes back. A part sent again counts no new bytes until it passes what
// its failed try had counted; the figure ends at the file's size.
import { afterEach, describe, expect, it } from 'vitest'
import { AlwaysMultiParts, AlwaysSinglePart, xhrFetch, type FetchLike, type UploadProgress } from '../../src/index.js'
import { addFaults, admin, clearFaults, clearLog, localManager, md5Of, randomBlob, requestLog, storedObject, uniqueKey, type FaultRule } from './helpers.js'

const MiB = 1 << 20

/** A link of 8 MiB/s, so that a body's progress comes in many steps (on loopback, one step can cover a whole part). */
async function throttle(bytesPerSec: number | null): Promise<void> {
  await admin('/_admin/throttle', { method: 'POST', body: JSON.stringify({ bytesPerSec }) })
}

afterEach(async () => {
  await throttle(null)
  await clearFaults()
  await clearLog()
})

describe('progress under faults', () => {
  for (const [mode, api] of [
    ['v2', 'part'],
    ['v1', 'mkblk'],
    ['form', 'form'],
  ] as const) {
    for (const fault of [
      { action: 'reset', when: 'during-body' },
      { action: 'stall', when: 'during-body', seconds: 6 },
    ] as const) {
      it(`${mode}: ${fault.action} in the middle of a ${api} body: the retry never takes progress back`, async () => {
        await throttle(8 * MiB)
        await addFaults({ api, nth: mode === 'form' ? 1 : 2, ...fault } as FaultRule)
        const blob = randomBlob(mode === 'v1' ? 9 * MiB : mode === 'v2' ? 12 * MiB : 6 * MiB)
        const key = uniqueKey(`progress-${mode}`)
        const seen: number[] = []
        const uploader = (await localManager({ retriesPerHost: 2, stallTimeout: 1500 }))
          .autoUploader({ policy: mode === 'form' ? new AlwaysSinglePart() : new AlwaysMultiParts(), multiPartsVersion: mode === 'v1' ? 'v1' : 'v2', partSize: 6 * MiB, concurrency: 1 })
          .onUploadProgress(({ transferredBytes }) => void seen.push(transferredBytes))
        await uploader.upload(blob, { objectName: key })
        expect((await storedObject(key)).md5).toBe(await md5Of(blob))
        // The fault hit: a request of that API got no answer, and was sent again.
        expect((await requestLog()).filter((entry) => entry.api === api && entry.status !== 200).length).toBeGreaterThanOrEqual(1)
        const backwards = seen.filter((bytes, i) => i > 0 && bytes < seen[i - 1]!)
        expect(backwards).toEqual([])
        expect(seen.at(-1)).toBe(blob.size)
      })
    }
  }
})

describe('a transport that reports a body once, at its answer (as Firefox does on a fast link)', () => {
  /** The XHR transport with each body's progress held back until its answer: one report per request. */
  const oncePerRequest: FetchLike = async (request, options = {}) => {
    const { onBodyProgress, ...rest } = options
    const response = await xhrFetch(request, rest)
    onBodyProgress?.(options.payload instanceof Blob ? options.payload.size : 0)
    return response
  }

  it('the bar moves several times during a part, marked as an estimate, below the part end, and ends at the total', async () => {
    const part = 2 * MiB
    // About a second per part, so a part spans several estimate ticks.
    await addFaults({ api: 'part', nth: 1, times: 100, action: 'throttle', bytesPerSec: 2 * MiB })
    const blob = randomBlob(3 * part)
    const events: UploadProgress[] = []
    const uploader = (await localManager({ fetch: oncePerRequest }))
      .autoUploader({ policy: new AlwaysMultiParts(), partSize: part, concurrency: 1 })
      .onUploadProgress((progress) => void events.push(progress))
    const key = uniqueKey('progress-once')
    await uploader.upload(blob, { objectName: key })
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))

    const transferred = events.map((event) => event.transferredBytes)
    expect(transferred).toEqual([...transferred].sort((a, b) => a - b))
    expect(events.at(-1)).toEqual({ transferredBytes: blob.size, totalBytes: blob.size })
    const estimated = events.filter((event) => event.estimatedBytes !== undefined)
    expect(estimated.length).toBeGreaterThan(0)
    expect(estimated.every((event) => event.estimatedBytes! > 0 && event.estimatedBytes! <= event.transferredBytes)).toBe(true)
    // One lane: the figure inside part n's range counts parts before it plus an estimate of part n.
    const inside = (n: number) => transferred.filter((bytes) => bytes > (n - 1) * part && bytes < n * part)
    // The first part goes before any answer measured the link's pace: it moves in one step.
    expect(Math.max(...[2, 3].map((n) => inside(n).length))).toBeGreaterThanOrEqual(3)
    for (const n of [1, 2, 3]) expect(inside(n).every((bytes) => bytes - (n - 1) * part <= 0.9 * part)).toBe(true)
  })
})
