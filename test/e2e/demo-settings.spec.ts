// The demo's settings: numbers out of range say what was used, the V1 part size shows the 4 MiB that
// V1 uses, and "Parts at once" changed mid-upload applies to the running upload (the server's log shows
// how many of its part requests were in flight together).
import { test, type Page } from '@playwright/test'
import { MiB, card, expect, useDemo } from './demo-page.js'

test.use({ viewport: { width: 1280, height: 800 } })

const demo = useDemo()

interface LogEntry {
  api: string
  path: string
  startedAt: number
  endedAt: number | null
}

const partLog = async (): Promise<LogEntry[]> => ((await (await demo.kodo('/_admin/log', undefined, 'GET')).json()) as LogEntry[]).filter((entry) => entry.api === 'part')
const sameRequest = (a: LogEntry, b: LogEntry) => a.path === b.path && a.startedAt === b.startedAt

/** The most requests of `entries` in flight at one moment. */
function mostInFlight(entries: LogEntry[]): number {
  let most = 0
  for (const entry of entries) {
    const at = entry.startedAt
    most = Math.max(most, entries.filter((other) => other.startedAt <= at && (other.endedAt ?? Number.POSITIVE_INFINITY) > at).length)
  }
  return most
}

async function setNumber(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label).fill(value)
  await page.getByLabel(label).press('Tab')
}

/**
 * Changes "Parts at once" and waits until the part requests in flight then are over and `count` more
 * have started: returns those started after that point, up to now.
 */
async function changeLanes(page: Page, lanes: string, count: number): Promise<LogEntry[]> {
  const before = await partLog()
  await setNumber(page, 'Parts at once, per file', lanes)
  let after: LogEntry[] = []
  await expect
    .poll(async () => {
      const log = await partLog()
      const earlier = log.filter((entry) => before.some((old) => sameRequest(entry, old)))
      if (earlier.some((entry) => entry.endedAt === null)) return 0
      const settled = Math.max(0, ...earlier.map((entry) => entry.endedAt!))
      after = log.filter((entry) => entry.startedAt >= settled)
      return after.length
    })
    .toBeGreaterThanOrEqual(count)
  return after
}

test('out-of-range numbers are replaced by the value used, with a note; V1 shows its 4 MiB blocks, V2 gets its choice back', async ({ page }) => {
  await demo.open(page)
  const lanes = page.getByLabel('Parts at once, per file')
  await setNumber(page, 'Parts at once, per file', '40')
  await expect(lanes).toHaveValue('16')
  await expect(page.locator('#lanes-note')).toHaveText('Using 16: parts at once is a whole number from 1 to 16.')
  await setNumber(page, 'Parts at once, per file', '3')
  await expect(page.locator('#lanes-note')).toBeHidden()
  await setNumber(page, 'Files at once', '0')
  await expect(page.getByLabel('Files at once')).toHaveValue('1')
  await expect(page.locator('#files-note')).toHaveText('Using 1: files at once is a whole number from 1 to 8.')

  const partSize = page.getByLabel('Part size')
  await partSize.selectOption('16')
  await page.getByText('V1', { exact: true }).click()
  await expect(partSize).toBeDisabled()
  await expect(partSize).toHaveValue('4')
  await page.setInputFiles('#picker', await demo.tempFile('v1.bin', 9 * MiB))
  await expect(card(page, 'v1.bin').locator('.meta')).toContainText('V1 · 4.0 MiB parts, 3 at a time')
  await page.getByText('V2', { exact: true }).click()
  await expect(partSize).toBeEnabled()
  await expect(partSize).toHaveValue('16')
  await expect(card(page, 'v1.bin').locator('.status')).toHaveText('Done')
})

test('"Parts at once" changed mid-upload applies to the running upload: down to 1, then up again', async ({ page }) => {
  await demo.open(page)
  await page.getByLabel('Part size').selectOption('1')
  // Every part request takes about a second, so several are in flight together at 4 lanes.
  await demo.kodo('/_admin/faults', { api: 'part', nth: 1, times: 1000, action: 'throttle', bytesPerSec: MiB })
  await demo.kodo('/_admin/log', undefined, 'DELETE')
  await page.setInputFiles('#picker', await demo.tempFile('lanes.bin', 40 * MiB))
  const fileCard = card(page, 'lanes.bin')
  await expect(fileCard.locator('.meta')).toContainText('4 at a time')
  await expect.poll(async () => (await partLog()).length).toBeGreaterThanOrEqual(4)

  const single = await changeLanes(page, '1', 3)
  await expect(fileCard.locator('.meta')).toContainText('1 at a time')
  expect(mostInFlight(single)).toBe(1)

  const four = await changeLanes(page, '4', 4)
  await expect(fileCard.locator('.meta')).toContainText('4 at a time')
  expect(mostInFlight(four)).toBeGreaterThan(1)
  expect(mostInFlight(four)).toBeLessThanOrEqual(4)

  await demo.kodo('/_admin/faults', undefined, 'DELETE')
  await expect(fileCard.locator('.status')).toHaveText('Done')
})
