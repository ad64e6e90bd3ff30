// @ts-check
// Chromium through Playwright (Debian's chromium; Playwright cannot download its own here).
import { chromium } from 'playwright'
import { chromiumArgs, chromiumPath } from '../../setup/chromium.js'

/** @returns {Promise<import('./page.js').EnginePage>} */
export async function launchChromium() {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs })
  const context = await browser.newContext()
  const page = await context.newPage()
  return {
    version: `Chromium ${browser.version()}`,
    open: async (url) => void (await page.goto(url)),
    call: (name, args) => page.evaluate(([name, args]) => /** @type {any} */ (window).engineTest[name](...args), /** @type {const} */ ([name, args])),
    setFile: (selector, path) => page.setInputFiles(selector, path),
    reload: async () => void (await page.reload()),
    setOffline: (offline) => context.setOffline(offline),
    close: () => browser.close(),
  }
}
