// The demo on the library's queue, as a user meets it: the states shown during faults, a bar that
// does not move back on pause, Cancel that asks first, focus after Cancel and "Clear finished", the warning
// before leaving mid-upload, and an upload in another tab.
import { test } from '@playwright/test'
import { MiB, card, expect, seen, useDemo } from './demo-page.js'

test.use({ viewport: { width: 1280, height: 800 } })

const demo = useDemo()
const kodo = demo.kodo
const tempFile = demo.tempFile
const openDemo = demo.open

test('a 503 shows "Retrying" with the request, the reason and the attempt n of m', async ({ page }) => {
  await openDemo(page)
  // One lane: while its part waits to be tried again, no other part moves the card back to "Uploading".
  await page.getByLabel('Parts at once, per file').fill('1')
  await page.getByLabel('Parts at once, per file').press('Tab')
  // Requests 2 and 3: the second part meets a 503, and another on its retry.
  await kodo('/_admin/faults', { api: 'part', nth: 2, times: 2, action: 'status', status: 503 })
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

test('Cancel asks first, in place; focus stays in the queue after Keep, Cancel and "Clear finished"', async ({ page }) => {
  await openDemo(page)
  await kodo('/_admin/throttle', { bytesPerSec: 4 * MiB })
  await page.setInputFiles('#picker', await tempFile('unwanted.bin', 24 * MiB))
  const fileCard = card(page, 'unwanted.bin')
  const cancel = fileCard.getByRole('button', { name: 'Cancel unwanted.bin' })
  await cancel.focus()
  await page.keyboard.press('Enter')
  // The question takes the buttons' place, the focus on the answer that loses nothing.
  await expect(fileCard.getByRole('group', { name: 'Cancel unwanted.bin?' })).toContainText('What was sent is deleted')
  await expect(fileCard.getByRole('button', { name: 'Keep uploading unwanted.bin' })).toBeFocused()
  await expect(fileCard.getByRole('button', { name: 'Pause unwanted.bin' })).toBeHidden()
  await page.keyboard.press('Escape')
  await expect(cancel).toBeFocused()
  await expect(fileCard.locator('.status')).toHaveText(/Uploading|Resuming/)
  await page.keyboard.press('Enter')
  await page.keyboard.press('Tab')
  await expect(fileCard.getByRole('button', { name: 'Yes, cancel unwanted.bin' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(fileCard.locator('.status')).toHaveText('Cancelled')
  await expect(fileCard).toBeFocused()
  await page.getByRole('button', { name: 'Clear finished' }).click()
  await expect(page.getByRole('heading', { name: 'Uploads' })).toBeFocused()
  await expect(page.locator('.card')).toHaveCount(0)
})

test('leaving mid-upload asks first; with nothing uploading, the page goes without asking', async ({ page }) => {
  await openDemo(page)
  await kodo('/_admin/throttle', { bytesPerSec: 4 * MiB })
  // Chromium asks before leaving only a page the person has interacted with.
  await page.locator('#queue-title').click()
  await page.setInputFiles('#picker', await tempFile('leaving.bin', 24 * MiB))
  const status = card(page, 'leaving.bin').locator('.status')
  await expect(status).toHaveText(/Uploading|Resuming/)
  const asked = page.waitForEvent('dialog')
  await page.close({ runBeforeUnload: true })
  const dialog = await asked
  expect(dialog.type()).toBe('beforeunload')
  await dialog.dismiss()
  expect(page.isClosed()).toBe(false)

  await kodo('/_admin/throttle', { bytesPerSec: null })
  await expect(status).toHaveText('Done')
  const dialogs: string[] = []
  page.on('dialog', (other) => {
    dialogs.push(other.type())
    void other.accept()
  })
  const closed = page.waitForEvent('close')
  await page.close({ runBeforeUnload: true })
  await closed
  expect(dialogs).toEqual([])
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
