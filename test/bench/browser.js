// @ts-check
// Debian's Chromium through Playwright, with one page holding the bench page and the test file.
import { chromium } from 'playwright'
import { chromiumArgs, chromiumPath } from '../setup/chromium.js'

/** @param {string} pageUrl */
export async function launchBrowser(pageUrl) {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs })
  const context = await browser.newContext()
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')

  /** Loads (or reloads) the page and picks `filePath` in its file input. @param {string} filePath */
  async function open(filePath) {
    await page.goto(pageUrl)
    await page.waitForFunction(() => 'bench' in window)
    await page.setInputFiles('#file', filePath)
  }

  return { browser, page, cdp, open }
}

/** @typedef {Awaited<ReturnType<typeof launchBrowser>>} Browser */
