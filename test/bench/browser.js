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

  /** Picks `filePath` in the loaded page's file input, as a user would. @param {string} filePath */
  async function pick(filePath) {
    await page.waitForFunction(() => 'bench' in window)
    await page.setInputFiles('#file', filePath)
  }

  return {
    browser,
    page,
    cdp,
    pick,
    /** Loads a fresh page and picks the file. @param {string} filePath */
    open: async (filePath) => {
      await page.goto(pageUrl)
      await pick(filePath)
    },
    /** Reloads the page (its uploads die with it) and picks the file again. @param {string} filePath */
    reload: async (filePath) => {
      await page.reload()
      await pick(filePath)
    },
  }
}

/** @typedef {Awaited<ReturnType<typeof launchBrowser>>} Browser */
