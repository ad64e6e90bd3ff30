// The demo on a phone (390×844, touch, mobile viewport) and, for contrast, on a desktop: what the drop
// zone says, buttons a finger can hit, and long file names that can be read whole.
import { test, type Page } from '@playwright/test'
import { MiB, card, expect, useDemo } from './demo-page.js'

const demo = useDemo()
const LONG_NAME = 'holiday-2026-11-30-the-whole-family-at-the-beach-in-the-evening-light-final-final-v3.mp4'

/** Height in px of every visible button on the page, by accessible name. */
async function buttonHeights(page: Page): Promise<Record<string, number>> {
  const heights: Record<string, number> = {}
  for (const button of await page.locator('button:visible').all()) {
    const name = (await button.getAttribute('aria-label')) ?? (await button.textContent()) ?? ''
    heights[name.trim()] = (await button.boundingBox())!.height
  }
  return heights
}

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true })

  test('the drop zone says "Choose files", every button is at least 44 px tall, a long name wraps and reads whole', async ({ page }) => {
    await demo.open(page)
    await expect(page.getByRole('button', { name: /Choose files/ })).toBeVisible()
    await expect(page.getByRole('button', { name: /Drop files here/ })).toHaveCount(0)

    await demo.kodo('/_admin/throttle', { bytesPerSec: 2 * MiB })
    await page.setInputFiles('#picker', await demo.tempFile(LONG_NAME, 16 * MiB))
    const fileCard = card(page, LONG_NAME)
    await expect(fileCard.locator('.status')).toHaveText(/Uploading|Resuming/)
    const name = fileCard.getByRole('heading', { name: LONG_NAME })
    // Not cut: nothing of the name overflows its box, and the box stays on the screen.
    const fits = await name.evaluate((element) => element.scrollWidth <= element.clientWidth && element.getBoundingClientRect().right <= window.innerWidth)
    expect(fits).toBe(true)
    expect((await name.boundingBox())!.height).toBeGreaterThan(30) // wrapped onto more than one line

    await fileCard.getByRole('button', { name: `Cancel ${LONG_NAME}` }).tap()
    await expect(fileCard.getByRole('button', { name: `Keep uploading ${LONG_NAME}` })).toBeVisible()
    const heights = await buttonHeights(page)
    expect(Object.keys(heights)).toEqual(expect.arrayContaining([`Keep uploading ${LONG_NAME}`, `Yes, cancel ${LONG_NAME}`]))
    expect(Object.entries(heights).filter(([, height]) => height < 44)).toEqual([])

    await fileCard.getByRole('button', { name: `Keep uploading ${LONG_NAME}` }).tap()
    const running = await buttonHeights(page)
    expect(Object.keys(running)).toEqual(expect.arrayContaining([`Pause ${LONG_NAME}`, `Cancel ${LONG_NAME}`]))
    expect(Object.entries(running).filter(([, height]) => height < 44)).toEqual([])
  })
})

test.describe('on a desktop', () => {
  test.use({ viewport: { width: 1280, height: 800 } })

  test('the drop zone says "Drop files here"', async ({ page }) => {
    await demo.open(page)
    await expect(page.getByRole('button', { name: /Drop files here/ })).toBeVisible()
    await expect(page.getByRole('button', { name: /Choose files/ })).toHaveCount(0)
  })
})
