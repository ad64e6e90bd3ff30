// @ts-check
// WebKitGTK's MiniBrowser through WebKitWebDriver and webdriverio, classic WebDriver (WebKitGTK refuses
// the BiDi session webdriverio asks for by default). The driver runs under xvfb-run: MiniBrowser needs a display.
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { remote } from 'webdriverio'

export const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver'
export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser'

/** @returns {Promise<import('./page.js').EnginePage>} */
export async function launchWebKit() {
  const port = await freePort()
  // Its own process group, so closing ends xvfb-run, Xvfb, the driver and MiniBrowser together.
  const driver = spawn('xvfb-run', ['-a', WEBKIT_DRIVER, `--port=${port}`], { detached: true, stdio: 'ignore' })
  const stopDriver = () => {
    try {
      if (driver.pid) process.kill(-driver.pid, 'SIGTERM')
    } catch {}
  }
  try {
    const browser = await remote({
      hostname: '127.0.0.1',
      port,
      path: '/',
      logLevel: 'error',
      connectionRetryCount: 20,
      capabilities: /** @type {any} */ ({
        browserName: 'MiniBrowser',
        'wdio:enforceWebDriverClassic': true,
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      }),
    })
    await browser.setTimeout({ script: 300_000, pageLoad: 60_000 })
    const capabilities = /** @type {any} */ (browser.capabilities)
    return {
      version: `WebKitGTK ${capabilities.browserVersion ?? '?'}`,
      open: (url) => browser.url(url).then(() => undefined),
      call: async (name, args) => {
        // Classic WebDriver's async script: the page calls `done` with the value or the error.
        const script = (/** @type {string} */ name, /** @type {unknown[]} */ args, /** @type {(v: unknown) => void} */ done) => {
          Promise.resolve()
            .then(() => /** @type {any} */ (window).engineTest[name].apply(null, args))
            .then(
              (value) => done({ value: value === undefined ? null : value }),
              (error) => done({ error: String(error?.stack || error) }),
            )
        }
        const answer = /** @type {{ value?: unknown, error?: string }} */ (await browser.executeAsync(script, name, args))
        if (answer.error !== undefined) throw new Error(answer.error)
        return answer.value
      },
      setFile: async (selector, path) => {
        const input = await browser.$(selector)
        await browser.elementSendKeys(await input.elementId, path)
      },
      reload: () => browser.refresh(),
      close: async () => {
        await browser.deleteSession().catch(() => {})
        stopDriver()
      },
    }
  } catch (error) {
    stopDriver()
    throw error
  }
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}
