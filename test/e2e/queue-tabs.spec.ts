// Two pages of one browser context upload the same file: Web Locks let one send at a time, the
// other shows `busy-elsewhere` with the first one's progress (BroadcastChannel), and takes over
// from the record when the first page closes.
import { expect, test } from '@playwright/test'
import { MiB, createQueue, itemViews, kodoAdmin, openTestPage, requestLog, storedSha256, uploadIdOf, writeOpfsFiles, type LogEntry } from './queue-helpers.js'

test.afterEach(async () => {
  await kodoAdmin('/_admin/throttle', { bytesPerSec: null })
})

function overlaps(a: LogEntry, b: LogEntry): boolean {
  return a.startedAt < (b.endedAt ?? Infinity) && b.startedAt < (a.endedAt ?? Infinity)
}

test('two pages, one file: never two pages sending parts of one upload at once; closing the first lets the second finish', async ({ context }) => {
  await kodoAdmin('/_admin/log', undefined, 'DELETE')
  const stamp = Date.now().toString(36)
  const file = { name: `tabs-${stamp}.bin`, size: 40 * MiB }
  const key = `queue-tabs-${stamp}`
  const first = await context.newPage()
  const second = await context.newPage()
  await openTestPage(first)
  await openTestPage(second)
  const [sha256] = await writeOpfsFiles(first, [file])
  await second.evaluate(async (name) => {
    ;(window as any).handles = [await (await navigator.storage.getDirectory()).getFileHandle(name)]
  }, file.name)
  const options = { files: 1, lanes: 2, uploader: { partSize: 4 * MiB } }
  await createQueue(first, options, 'first')
  await createQueue(second, options, 'second')
  expect(await second.evaluate(() => (window as any).queue.tabSafe)).toBe(true)

  await kodoAdmin('/_admin/throttle', { bytesPerSec: 8 * MiB })
  await first.evaluate((key) => (window as any).queue.add((window as any).handles[0], { objectName: key }), key)
  await expect.poll(async () => (await itemViews(first))[0]!.kept, { timeout: 60_000 }).toBeGreaterThanOrEqual(4 * MiB)
  await second.evaluate((key) => (window as any).queue.add((window as any).handles[0], { objectName: key }), key)
  await expect.poll(async () => (await itemViews(second))[0]!.state).toBe('busy-elsewhere')
  // The second page follows the first one's progress.
  await expect.poll(async () => (await itemViews(second))[0]!.transferred).toBeGreaterThan(4 * MiB)
  const elsewhere = await second.evaluate(() => (window as any).queue.elsewhere())
  expect(elsewhere).toEqual([expect.objectContaining({ name: file.name, objectName: key, size: file.size })])

  await kodoAdmin('/_admin/throttle', { bytesPerSec: null })
  await first.close()
  await expect.poll(async () => (await itemViews(second))[0]!.state, { timeout: 60_000 }).toBe('done')

  const log = await requestLog()
  expect(log.filter((e) => e.api === 'init')).toHaveLength(1)
  const parts = log.filter((e) => e.api === 'part')
  const byFirst = parts.filter((e) => e.query.includes('tab=first'))
  const bySecond = parts.filter((e) => e.query.includes('tab=second'))
  expect(byFirst.length).toBeGreaterThan(0)
  expect(bySecond.length).toBeGreaterThan(0)
  expect(new Set(parts.map(uploadIdOf)).size).toBe(1)
  const overlapping = byFirst.flatMap((a) => bySecond.filter((b) => overlaps(a, b)))
  expect(overlapping).toEqual([])
  expect(await storedSha256(key)).toBe(sha256)
})
