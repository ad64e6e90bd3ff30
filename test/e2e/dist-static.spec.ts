import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { expect, test, type Page } from '@playwright/test'
import { serveStatic } from '../setup/static-server.js'
import { kodo, kodoToken, storedBytes } from './kodo.js'

// The self-contained build (dist/cdn/, dependencies bundled) served as plain files, no bundler or
// import map: from the page's own origin, and from another origin as a CDN would serve it.
test.beforeAll(() => {
  execFileSync('npx', ['vite', 'build', '--mode', 'cdn', '--logLevel', 'warn'], { stdio: 'inherit' })
})

const pageLoading = (libraryUrl: string, workerSrc?: string) => `<!doctype html>
${workerSrc ? `<meta http-equiv="Content-Security-Policy" content="worker-src ${workerSrc}">` : ''}
<script type="module">
  import * as lib from ${JSON.stringify(libraryUrl)}
  window.lib = lib
  window.ready = true
</script>`

/** Uploads `size` random bytes by V2 from the page; returns the answer, the hashing mode and the bytes' SHA-256. */
async function uploadFromPage(page: Page, size: number) {
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true)
  const result = await page.evaluate(
    async ({ kodo, token, size }) => {
      const { UploadManager, MemoryResumableRecorder, SerialMultiPartsUploaderScheduler, BlobDataSource } = (window as any).lib
      const bytes = new Uint8Array(size)
      for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536))
      const warnings: string[] = []
      const manager = new UploadManager({ uploadToken: token, upEndpoints: [kodo], recorder: new MemoryResumableRecorder(), onWarning: (m: string) => warnings.push(m) })
      const scheduler = new SerialMultiPartsUploaderScheduler(manager.multiPartsUploader({ version: 'v2' }))
      const key = 'dist-static-' + Date.now()
      const answer = await scheduler.upload(new BlobDataSource(new Blob([bytes])), { objectName: key })
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
      return { answer, key, hashing: manager.hashing, warnings, sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('') }
    },
    { kodo: kodo(), token: await kodoToken(), size },
  )
  expect(result.answer.key).toBe(result.key)
  const stored = await storedBytes(result.key)
  expect(stored.length).toBe(size)
  expect(createHash('sha256').update(stored).digest('hex')).toBe(result.sha256)
  return result
}

type Served = Awaited<ReturnType<typeof serveStatic>>

/** Opens `site`, uploads `size` bytes from it, and closes `site` and the `others` it loads from. */
async function uploadFromSite(page: Page, size: number, site: Served, ...others: Served[]) {
  try {
    await page.goto(site.url + '/')
    return await uploadFromPage(page, size)
  } finally {
    for (const served of [site, ...others]) await served.close()
  }
}

test('dist/cdn/index.js served as static files uploads 37 MiB through V2 to another origin, hashing in the worker file', async ({ page }) => {
  const result = await uploadFromSite(page, 37 * 1024 * 1024 + 7, await serveStatic(process.cwd(), { '/': pageLoading('/dist/cdn/index.js') }))
  expect(result.hashing).toEqual({ kind: 'worker', via: 'file', confirmed: true, md5: 'hash-wasm' })
  expect(result.warnings).toEqual([])
})

test('dist/cdn/index.js loaded from another origin (a CDN): the worker runs from the inlined source, CSP worker-src blob:', async ({ page }) => {
  const cdn = await serveStatic(process.cwd(), {}, { cors: true })
  const site = await serveStatic(process.cwd(), { '/': pageLoading(`${cdn.url}/dist/cdn/index.js`, 'blob:') })
  const result = await uploadFromSite(page, 9 * 1024 * 1024 + 5, site, cdn)
  expect(result.hashing).toMatchObject({ kind: 'worker', via: 'inline', confirmed: true })
  expect(result.warnings).toHaveLength(1)
})

test('a CSP that forbids blob: workers leaves the main thread, and says why', async ({ page }) => {
  const cdn = await serveStatic(process.cwd(), {}, { cors: true })
  const site = await serveStatic(process.cwd(), { '/': pageLoading(`${cdn.url}/dist/cdn/index.js`, "'self'") })
  const result = await uploadFromSite(page, 5 * 1024 * 1024 + 1, site, cdn)
  expect(result.hashing).toMatchObject({ kind: 'main-thread', reason: expect.stringContaining('neither the worker file nor the inlined source') })
  expect(result.warnings).toHaveLength(2)
})

// A site-wide CSP header reaches the worker file too (a worker has its own response's policy).
const cspHeader = (scriptSrc: string) => ({ 'Content-Security-Policy': `script-src ${scriptSrc}; worker-src 'self'` })

test("a CSP without 'wasm-unsafe-eval': MD5 by spark-md5 in the worker file, said once, and the upload completes", async ({ page }) => {
  const site = await serveStatic(process.cwd(), { '/': pageLoading('/dist/cdn/index.js') }, { headers: cspHeader("'self' 'unsafe-inline'") })
  const result = await uploadFromSite(page, 9 * 1024 * 1024 + 3, site)
  expect(result.hashing).toMatchObject({ kind: 'worker', via: 'file', confirmed: true, md5: 'spark-md5', reason: expect.stringContaining('WebAssembly') })
  expect(result.warnings).toHaveLength(1)
  expect(result.warnings[0]).toContain('wasm-unsafe-eval')
})

test("the same CSP with 'wasm-unsafe-eval': MD5 by hash-wasm, no warning", async ({ page }) => {
  const site = await serveStatic(process.cwd(), { '/': pageLoading('/dist/cdn/index.js') }, { headers: cspHeader("'self' 'unsafe-inline' 'wasm-unsafe-eval'") })
  const result = await uploadFromSite(page, 9 * 1024 * 1024 + 3, site)
  expect(result.hashing).toEqual({ kind: 'worker', via: 'file', confirmed: true, md5: 'hash-wasm' })
  expect(result.warnings).toEqual([])
})
