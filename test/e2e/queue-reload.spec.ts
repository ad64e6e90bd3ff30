// A queue of five files from the origin private file system, interrupted by a reload or a browser
// restart: restore() lists the unfinished ones with what is kept, and continuing them re-sends
// nothing beyond the parts in flight and starts no upload twice.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, expect, test, type Page } from '@playwright/test'
import { chromiumArgs, chromiumPath } from '../setup/chromium.js'
import { MiB, createQueue, itemViews, kodoAdmin, openTestPage, requestLog, storedSha256, uploadIdOf, writeOpfsFiles } from './queue-helpers.js'

const PART = 4 * MiB
const LANES = 2
const OPTIONS = { files: 2, lanes: LANES, uploader: { partSize: PART } }

test.beforeEach(async () => {
  await kodoAdmin('/_admin/log', undefined, 'DELETE')
  await kodoAdmin('/_admin/throttle', { bytesPerSec: 8 * MiB })
})

test.afterEach(async () => {
  await kodoAdmin('/_admin/throttle', { bytesPerSec: null })
})

async function interruptedQueue(page: Page, interrupt: () => Promise<Page>): Promise<void> {
  const stamp = Date.now().toString(36)
  const files = [8, 40, 40, 40, 40].map((mib, i) => ({ name: `q${i + 1}-${stamp}.bin`, size: mib * MiB, key: `queue-reload-${stamp}-${i + 1}` }))
  await openTestPage(page)
  const hashes = await writeOpfsFiles(page, files)
  await createQueue(page, OPTIONS)
  await page.evaluate(async (keys) => {
    const w = window as any
    for (let i = 0; i < keys.length; i++) await w.queue.add(w.handles[i], { objectName: keys[i] })
  }, files.map((f) => f.key))
  // The first file done, the third one started, nothing else finished: then the page goes away.
  await expect
    .poll(async () => {
      const items = await itemViews(page)
      return items[0]!.state === 'done' && items[2]!.kept >= PART && items.filter((i) => i.state === 'done').length === 1
    }, { timeout: 60_000, intervals: [20] })
    .toBe(true)
  page = await interrupt()
  await kodoAdmin('/_admin/throttle', { bytesPerSec: null })

  await openTestPage(page)
  await createQueue(page, OPTIONS)
  const restored = await page.evaluate(async () => {
    const items = await (window as any).queue.restore()
    return items.map((item: any) => ({ name: item.name, size: item.size, key: item.objectName, kept: item.keptBytes, state: item.state, restoredFrom: item.restoredFrom }))
  })
  expect(restored.map((item: { name: string }) => item.name)).toEqual(files.slice(1).map((f) => f.name))
  expect(restored.map((item: { state: string }) => item.state)).toEqual(['paused', 'paused', 'paused', 'paused'])
  expect(restored.map((item: { key: string }) => item.key)).toEqual(files.slice(1).map((f) => f.key))

  // Bytes done, checked against what the server holds: every part the record kept, at most the parts in flight fewer.
  const before = await requestLog()
  for (const [i, item] of (restored as Array<{ key: string; kept: number }>).entries()) {
    const encoded = Buffer.from(item.key).toString('base64url')
    const uploadIds = new Set(before.filter((e) => e.api === 'init' && e.path.includes(encoded)).map((e) => (e as unknown as { uploadId: string }).uploadId))
    const held = new Map<string, number>()
    for (const e of before) if (e.api === 'part' && e.status === 200 && uploadIds.has(uploadIdOf(e)!)) held.set(e.path, e.bodyBytes)
    const onServer = [...held.values()].reduce((a, b) => a + b, 0)
    console.log(`restored ${files[i + 1]!.name}: ${item.kept / MiB} MiB done by the record, ${onServer / MiB} MiB on the server`)
    expect(item.kept % PART).toBe(0)
    expect(item.kept).toBeLessThanOrEqual(onServer)
    expect(item.kept).toBeGreaterThanOrEqual(onServer - LANES * PART)
    if (i >= 2) expect(item.kept).toBe(0)
    else expect(item.kept).toBeGreaterThan(0)
  }

  await page.evaluate(() => (window as any).queue.continueAll())
  await expect.poll(async () => (await itemViews(page)).map((i) => i.state).join(), { timeout: 90_000 }).toBe('done,done,done,done')

  const log = await requestLog()
  expect(log.filter((e) => e.api === 'init')).toHaveLength(files.length)
  const sends = new Map<string, number>()
  for (const e of log) if (e.api === 'part') sends.set(e.path, (sends.get(e.path) ?? 0) + 1)
  const twice = [...sends.values()].filter((n) => n > 1).length
  const resent = log.filter((e) => e.api === 'part').reduce((sum, e) => sum + e.bodyBytes, 0) - files.reduce((sum, f) => sum + f.size, 0)
  console.log(`after restore: ${twice} part(s) sent twice, ${(resent / MiB).toFixed(1)} MiB re-sent in all (bound ${LANES} parts in flight per running file)`)
  expect(twice).toBeLessThanOrEqual(2 * LANES)
  expect(resent).toBeLessThanOrEqual(2 * LANES * PART)
  for (const [i, file] of files.entries()) expect(await storedSha256(file.key)).toBe(hashes[i])
}

test('a reload in the middle of a queue of five files: restore() lists the four unfinished, continuing re-sends only parts in flight', async ({ page }) => {
  await interruptedQueue(page, async () => {
    await page.reload()
    return page
  })
})

test('a browser restart in the middle of a queue: the same, from the handles kept in IndexedDB', async () => {
  const userDataDir = mkdtempSync(join(tmpdir(), 'qum-queue-profile-'))
  const launch = () =>
    chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath(), args: chromiumArgs, baseURL: `http://127.0.0.1:${process.env.E2E_PORT ?? 5199}/` })
  let context = await launch()
  await interruptedQueue(await context.newPage(), async () => {
    await context.close()
    context = await launch()
    return context.newPage()
  })
  await context.close()
})
