// The demo on the library's queue, as a user meets it: the states shown during faults, a bar that
// does not move back on pause, focus after Cancel and "Clear finished", and an upload in another tab.
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect as baseExpect, test, type Page } from '@playwright/test'
import { startDemo } from '../../demo/server.js'

// The machine running the suite may be busy: the states come in their order, not on a clock.
const expect = baseExpect.configure({ timeout: 30_000 })
const MiB = 1024 * 1024

let demo: Awaited<ReturnType<typeof startDemo>>
let tempDir: string

test.use({ viewport: { width: 1280, height: 800 } })

test.beforeAll(async () => {
  demo = await startDemo({ port: 0, watch: false })
  tempDir = await mkdtemp(join(tmpdir(), 'queue-demo-'))
})

test.afterAll(async () => {
  await demo?.close()
  if (tempDir) await rm(tempDir, { recursive: true, force: true })
})

test.afterEach(async () => {
  await kodo('/_admin/throttle', { bytesPerSec: null })
  await kodo('/_admin/faults', undefined, 'DELETE')
})

/** The demo's Kodo server's admin API, with its secret. */
function kodo(path: string, body: unknown, method = 'POST'): Promise<Response> {
  return fetch(`${demo.kodoUrl}${path}`, { method, headers: demo.kodoAdminHeaders, body: body === undefined ? undefined : JSON.stringify(body) })
}

async function tempFile(name: string, size: number): Promise<string> {
  const path = join(tempDir, name)
  await writeFile(path, randomBytes(size))
  return path
}

async function openDemo(page: Page): Promise<void> {
  await page.goto(demo.url)
  await expect(page.locator('#backend')).toContainText('bucket')
  // Every status and stats line any card shows, in order, however briefly.
  await page.evaluate(() => {
    const w = window as unknown as { seen: string[] }
    w.seen = []
    new MutationObserver(() => {
      for (const card of document.querySelectorAll('.card')) {
        const line = `${card.querySelector('.status')!.textContent} | ${card.querySelector('.stats')!.textContent} | ${card.querySelector('.bar')!.getAttribute('aria-valuenow')}`
        if (w.seen.at(-1) !== line) w.seen.push(line)
      }
    }).observe(document.getElementById('cards')!, { subtree: true, childList: true, characterData: true, attributes: true })
  })
}

const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: string[] }).seen)
const card = (page: Page, name: string) => page.locator('.card').filter({ has: page.getByRole('heading', { name, exact: true }) })

test('a 503 shows "Retrying" with the request, the reason and the attempt n of m', async ({ page }) => {
  await openDemo(page)
  // Requests 2 to 5: the parts that meet the first 503s (in any lane) meet a second one on their retry.
  await kodo('/_admin/faults', { api: 'part', nth: 2, times: 4, action: 'status', status: 503 })
  await page.setInputFiles('#picker', await tempFile('flaky.bin', 12 * MiB))
  await expect(card(page, 'flaky.bin').locator('.status')).toHaveText('Done')
  const lines = await seen(page)
  expect(lines.some((line) => /^Retrying \| The server did not take uploadPart \(HTTP 503\); trying again, attempt 1 of \d+/.test(line))).toBe(true)
  expect(lines.some((line) => line.includes('attempt 2 of'))).toBe(true)
})

test('pause does not move the bar back, says what is kept, and resume goes on from there', async ({ page }) => {
  await openDemo(page)
  await kodo('/_admin/throttle', { bytesPerSec: 6 * MiB })
  await page.setInputFiles('#picker', await tempFile('steady.bin', 32 * MiB))
  const fileCard = card(page, 'steady.bin')
  await expect.poll(async () => Number(await fileCard.locator('.bar').getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(15)
  await fileCard.getByRole('button', { name: 'Pause steady.bin' }).click()
  await expect(fileCard.locator('.status')).toHaveText('Paused')
  await expect(fileCard.locator('.stats')).toContainText('kept on the server')
  await kodo('/_admin/throttle', { bytesPerSec: null })
  await fileCard.getByRole('button', { name: 'Resume steady.bin' }).click()
  await expect(fileCard.locator('.status')).toHaveText('Done')
  const percents = (await seen(page)).map((line) => Number(line.split(' | ')[2]))
  const backwards = percents.filter((percent, i) => i > 0 && percent < percents[i - 1]!)
  expect(backwards).toEqual([])
})

test('focus stays in the queue after Cancel and after "Clear finished"', async ({ page }) => {
  await openDemo(page)
  await kodo('/_admin/throttle', { bytesPerSec: 4 * MiB })
  await page.setInputFiles('#picker', await tempFile('unwanted.bin', 24 * MiB))
  const fileCard = card(page, 'unwanted.bin')
  await fileCard.getByRole('button', { name: 'Cancel unwanted.bin' }).focus()
  await page.keyboard.press('Enter')
  await expect(fileCard.locator('.status')).toHaveText('Cancelled')
  await expect(fileCard).toBeFocused()
  await page.getByRole('button', { name: 'Clear finished' }).click()
  await expect(page.getByRole('heading', { name: 'Uploads' })).toBeFocused()
  await expect(page.locator('.card')).toHaveCount(0)
})

test('the same file in a second tab waits as "In another tab", lists the upload, and finishes when the first tab closes', async ({ context }) => {
  const first = await context.newPage()
  const second = await context.newPage()
  await openDemo(first)
  await openDemo(second)
  await kodo('/_admin/throttle', { bytesPerSec: 4 * MiB })
  const path = await tempFile('shared.bin', 24 * MiB)
  await first.setInputFiles('#picker', path)
  await expect(card(first, 'shared.bin').locator('.status')).toHaveText(/Uploading|Resuming/)
  await second.setInputFiles('#picker', path)
  await expect(card(second, 'shared.bin').locator('.status')).toHaveText('In another tab')
  await expect(second.locator('#elsewhere')).toContainText('shared.bin')
  await kodo('/_admin/throttle', { bytesPerSec: null })
  await first.close()
  await expect(card(second, 'shared.bin').locator('.status')).toHaveText('Done')
})

test('offline mid-upload reads "Offline" at once (never "Stalled"), nothing lost, and the upload finishes when the network is back', async ({ page, context }) => {
  await openDemo(page)
  await kodo('/_admin/throttle', { bytesPerSec: 4 * MiB })
  await page.setInputFiles('#picker', await tempFile('commute.bin', 24 * MiB))
  const fileCard = card(page, 'commute.bin')
  await expect.poll(async () => Number(await fileCard.locator('.bar').getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(5)
  await context.setOffline(true)
  // The offline event stops the requests under way: the card says "Offline" at once, not "Stalled" after the stall notice.
  await expect(fileCard.locator('.status')).toHaveText('Offline')
  await expect(fileCard.locator('.stats')).toContainText('waiting for the network')
  await kodo('/_admin/throttle', { bytesPerSec: null })
  await context.setOffline(false)
  await expect(fileCard.locator('.status')).toHaveText('Done')
  expect((await seen(page)).filter((line) => line.startsWith('Stalled'))).toEqual([])
})
