// @ts-check
// What every benchmark script starts and stops: a temp folder for test files, the benchmark page built
// from src/ (or another copy), the local Kodo server in its own process, and headless Chromium on the page.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildPage } from '../setup/build-page.js'
import { serveStatic } from '../setup/static-server.js'
import { launchBrowser } from './browser.js'
import { startKodo } from './kodo.js'

/**
 * @param {string} prefix the temp folder's name prefix
 * @param {string} [librarySrc] another copy of src/ to build the page from
 */
export async function startBenchEnvironment(prefix, librarySrc) {
  const fileDir = mkdtempSync(join(tmpdir(), prefix))
  const pageDir = await buildPage(fileURLToPath(new URL('./page/', import.meta.url)), librarySrc)
  const kodo = await startKodo()
  const site = await serveStatic(pageDir)
  const browser = await launchBrowser(site.url)
  const close = async () => {
    await browser.browser.close()
    await site.close()
    await kodo.close()
    rmSync(fileDir, { recursive: true, force: true })
    rmSync(pageDir, { recursive: true, force: true })
  }
  return { fileDir, kodo, browser, close }
}
