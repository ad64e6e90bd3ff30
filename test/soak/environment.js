// @ts-check
// What the soak and the chaos run share: a local Kodo server, the soak page built and served from its
// own origin, and headless Chromium on it.
import { rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright'
import { startKodoServer } from '../../src/kodo-server/server.js'
import { chromiumArgs, chromiumPath } from '../setup/chromium.js'
import { buildPage } from '../setup/build-page.js'
import { serveStatic } from '../setup/static-server.js'

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url))

/**
 * Starts everything; `close()` stops it all, whatever failed half-way.
 * @returns {Promise<{ kodo: import('../../src/kodo-server/server.js').KodoServer, page: import('playwright').Page,
 *   open: () => Promise<void>, pageErrors: string[], close: () => Promise<void> }>} `open()` (re)loads the
 *   page and waits for its runners; `pageErrors` collects its uncaught errors.
 */
export async function startSoakEnvironment() {
  /** @type {Array<() => Promise<unknown>>} */
  const resources = []
  const close = async () => {
    for (const stop of resources.reverse()) await stop().catch(() => {})
  }
  try {
    const kodo = await startKodoServer()
    resources.push(() => kodo.close())
    const pageDir = await buildPage(PAGE_DIR)
    resources.push(() => rm(pageDir, { recursive: true, force: true }))
    const site = await serveStatic(pageDir)
    resources.push(site.close)
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs })
    resources.push(() => browser.close())
    const page = await browser.newPage()
    /** @type {string[]} Uncaught errors and unhandled rejections in the page: bugs, even when every upload ends well. */
    const pageErrors = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    // Token providers in the page ask the server through the driver: the page never holds the admin secret.
    await page.exposeFunction('kodoToken', (/** @type {string | undefined} */ key, /** @type {number} */ expiresIn) => kodo.makeToken({ key, expiresIn }))
    const open = async () => {
      await page.goto(site.url)
      await page.waitForFunction(() => 'soak' in window && 'chaos' in window)
    }
    await open()
    return { kodo, page, open, pageErrors, close }
  } catch (error) {
    await close()
    throw error
  }
}
