// @ts-check
// Firefox ESR through puppeteer-core over WebDriver BiDi (Debian ships no geckodriver).
import puppeteer from 'puppeteer-core'

export const FIREFOX_PATH = '/usr/bin/firefox-esr'

/** @returns {Promise<import('./page.js').EnginePage>} */
export async function launchFirefox() {
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, protocolTimeout: 300_000 })
  // The tab Firefox opened with: a new one would cost another second.
  const page = (await browser.pages())[0] ?? (await browser.newPage())
  return {
    version: await browser.version(),
    open: async (url) => void (await page.goto(url)),
    call: (name, args) => page.evaluate((name, args) => /** @type {any} */ (window).engineTest[name](...args), name, args),
    setFile: async (selector, path) => {
      const input = /** @type {import('puppeteer-core').ElementHandle<HTMLInputElement>} */ (await page.$(selector))
      await input.uploadFile(path)
    },
    reload: async () => void (await page.reload()),
    setOffline: (offline) => page.setOfflineMode(offline),
    close: () => browser.close(),
  }
}
