// The queue's budget in real Chromium against the local Kodo server: files at once and part lanes
// shared by every file, checked from the server's request log.
import { afterEach, describe, expect, it } from 'vitest'
import { AdaptiveConcurrencyProvider, UploadQueue, type QueueItem } from '../../src/index.js'
import { addFaults, clearFaults, clearLog, localManager, md5Of, peakOverlap, randomBlob, randomFile, requestLog, storedObject, uniqueKey, type LogEntry } from './helpers.js'

const MiB = 1 << 20
const BIG = Number(import.meta.env.VITE_QUEUE_BIG_MIB ?? 256) * MiB
const SMALL = 2 * MiB
const SMALL_COUNT = 40
const LANES = 6

/**
 * Fairness, from the server's view: the most parts of the big file that started between two
 * consecutive small-file requests, and their mean (counted from the first small request on, while
 * small files were still waiting).
 */
function bigRuns(entries: LogEntry[]): { longest: number; mean: number } {
  const sorted = [...entries].sort((a, b) => a.startedAt - b.startedAt)
  const smalls = sorted.filter((e) => e.api === 'form')
  const runs: number[] = []
  let run = 0
  for (const entry of sorted.slice(sorted.indexOf(smalls[0]!) + 1, sorted.indexOf(smalls.at(-1)!) + 1)) {
    if (entry.api === 'form') {
      runs.push(run)
      run = 0
    } else run++
  }
  return { longest: Math.max(...runs), mean: runs.reduce((a, b) => a + b, 0) / runs.length }
}

function settled(item: QueueItem): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (item.finished ? resolve() : setTimeout(check, 50))
    check()
  })
}

describe('UploadQueue budget', () => {
  afterEach(async () => {
    await clearFaults()
    await clearLog()
    const files = await navigator.storage.getDirectory()
    for await (const name of files.keys()) await files.removeEntry(name)
  })

  it(`1 × ${BIG / MiB} MiB and ${SMALL_COUNT} × 2 MiB with 2 files and ${LANES} lanes: never more than ${LANES} data requests, small files not starved, every object intact`, async () => {
    await clearLog()
    const queue = new UploadQueue(await localManager(), { files: 2, lanes: LANES })
    const bigKey = uniqueKey('queue-big')
    const big = { blob: await randomFile(`${bigKey}.bin`, BIG), key: bigKey }
    const smalls = Array.from({ length: SMALL_COUNT }, () => ({ blob: randomBlob(SMALL), key: uniqueKey('queue-small') }))
    const items = await Promise.all([big, ...smalls].map(({ blob, key }) => queue.add(new File([blob], `${key}.bin`), { objectName: key })))
    await Promise.all(items.map(settled))
    expect(items.map((item) => item.state)).toEqual(items.map(() => 'done'))

    const data = (await requestLog()).filter((e) => e.api === 'part' || e.api === 'form')
    expect(data.filter((e) => e.api === 'form')).toHaveLength(SMALL_COUNT)
    const peak = peakOverlap(data)
    const runs = bigRuns(data)
    const bigEnd = Math.max(...data.filter((e) => e.api === 'part').map((e) => e.endedAt))
    const smallsDoneBeforeBig = data.filter((e) => e.api === 'form' && e.endedAt < bigEnd).length
    console.log(`queue budget: peak data requests ${peak} (lanes ${LANES}); big-file parts started between two small files: at most ${runs.longest}, mean ${runs.mean.toFixed(1)}; small files done before the big one ${smallsDoneBeforeBig}/${SMALL_COUNT}`)
    expect(peak).toBeLessThanOrEqual(LANES)
    // A small file waiting for a lane gets the next one freed; the big file starts parts only while the
    // small one is hashed. Bounds: on average less than one round of the big file's lanes between two
    // small files, and never three rounds (a busy machine hashes slowly).
    expect(runs.mean).toBeLessThanOrEqual(LANES)
    expect(runs.longest).toBeLessThanOrEqual(3 * LANES)

    for (const { blob, key } of [big, ...smalls]) expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  }, 600_000)

  it('lets an adaptive concurrency provider grow a file\'s lanes within the upload, up to the queue\'s lanes', async () => {
    await clearLog()
    // 100 ms before each part is read, as in the scheduler's test: each lane more adds its rate.
    await addFaults({ api: 'part', nth: 1, times: 1000, action: 'stall', seconds: 0.1 })
    const queue = new UploadQueue(await localManager(), { files: 1, lanes: 5, uploader: { partSize: MiB, concurrency: new AdaptiveConcurrencyProvider({ initial: 3 }) } })
    const key = uniqueKey('queue-climb')
    const blob = randomBlob(40 * MiB)
    const item = await queue.add(new File([blob], `${key}.bin`), { objectName: key })
    await settled(item)
    expect(item.state).toBe('done')
    const parts = (await requestLog()).filter((e) => e.api === 'part')
    expect(peakOverlap(parts.slice(0, 6))).toBe(3)
    // The tuner would climb to 6 (its default max); the queue's 5 lanes cap it.
    expect(peakOverlap(parts)).toBe(5)
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  })
})
