// Issue 11, bug 16: progress never goes back. A part sent again counts no new bytes until it passes what
// its failed try had counted; the figure ends at the file's size.
import { afterEach, describe, expect, it } from 'vitest'
import { AlwaysMultiParts, AlwaysSinglePart } from '../../src/index.js'
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
