import { randomBytes, createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, expect, test, type Page } from '@playwright/test'
import { chromiumArgs, chromiumPath } from '../setup/chromium.js'
import { kodo, kodoAdmin, kodoToken, storedBytes } from './kodo.js'
import { removeTempDirs, tempDir } from './temp-dirs.js'

const MiB = 1 << 20
const PART = 4 * MiB
const LANES = 2

interface LogEntry {
  api: string
  status: number
  bodyBytes: number
  path: string
}

/** A 64 MiB file on disk, so the page gets a real file-backed File through the picker. */
function writeTestFile(): { path: string; sha256: string } {
  const path = join(tempDir(), 'movie.bin')
  const bytes = randomBytes(64 * MiB)
  writeFileSync(path, bytes)
  return { path, sha256: createHash('sha256').update(bytes).digest('hex') }
}

/** Picks the file and starts an upload with the default (IndexedDB) recorder; progress lands on window. */
async function startUpload(page: Page, filePath: string, key: string): Promise<void> {
  await page.goto('/test/e2e/pages/upload.html')
  await page.waitForFunction(() => (window as any).ready === true)
  await page.setInputFiles('#file', filePath)
  await page.evaluate(
    ({ kodoUrl, token, key, lanes }) => {
      const w = window as any
      w.parts = []
      w.outcome = new Promise((resolve) => {
        ;(async () => {
          const manager = new w.lib.UploadManager({ uploadToken: token, upEndpoints: [kodoUrl] })
          const file = (document.querySelector('#file') as HTMLInputElement).files![0]
          const uploader = manager.autoUploader({ concurrency: lanes }).onPartUploaded((part: any) => w.parts.push(part))
          try {
            resolve({ ok: await uploader.upload(file, { objectName: key }) })
          } catch (error: any) {
            w.failure = error.message
            resolve({ error: error.message })
          }
        })()
      })
    },
    { kodoUrl: kodo(), token: await kodoToken(), key, lanes: LANES },
  )
}

/** Parts finished so far; an upload that failed instead fails the test with its message. */
async function partsDone(page: Page): Promise<number> {
  const { parts, failure } = await page.evaluate(() => ({ parts: (window as any).parts.length, failure: (window as any).failure }))
  if (failure) throw new Error(`the upload failed: ${failure}`)
  return parts
}

async function checkResumedUpload(page: Page, file: { path: string; sha256: string }, key: string) {
  const outcome = (await page.evaluate(() => (window as any).outcome)) as { ok?: { key: string }; error?: string }
  expect(outcome.error).toBeUndefined()
  expect(outcome.ok!.key).toBe(key)
  const resumed = await page.evaluate(() => (window as any).parts.filter((p: any) => p.resumed).length)
  expect(resumed).toBeGreaterThanOrEqual(5)
  const log = (await (await kodoAdmin('/_admin/log')).json()) as LogEntry[]
  expect(log.filter((e) => e.api === 'init')).toHaveLength(1)
  const sent = log.filter((e) => e.api === 'part').reduce((sum, e) => sum + e.bodyBytes, 0)
  const resent = sent - 64 * MiB
  console.log(`bytes re-sent after the interruption: ${resent} (bound ${LANES * PART}); part requests: ${log.filter((e) => e.api === 'part').map((e) => e.status + ':' + e.bodyBytes).join(' ')}`)
  expect(resent).toBeLessThanOrEqual(LANES * PART)
  const bytes = await storedBytes(key)
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256)
}

test.beforeEach(async () => {
  await kodoAdmin('/_admin/log', undefined, 'DELETE')
  // Slow enough that the page can be reloaded in the middle of the upload.
  await kodoAdmin('/_admin/throttle', { bytesPerSec: 24 * MiB })
})

test.afterEach(async () => {
  await kodoAdmin('/_admin/throttle', { bytesPerSec: null })
  removeTempDirs()
})

test('a reload in the middle of a 64 MiB upload resumes when the same file is picked again', async ({ page }) => {
  const file = writeTestFile()
  const key = `reload-${Date.now()}`
  await startUpload(page, file.path, key)
  await expect.poll(() => partsDone(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(5)
  await page.reload()
  await kodoAdmin('/_admin/throttle', { bytesPerSec: null })
  await startUpload(page, file.path, key)
  await checkResumedUpload(page, file, key)
})

test('a browser restart in the middle of an upload resumes from IndexedDB', async () => {
  const file = writeTestFile()
  const key = `restart-${Date.now()}`
  const userDataDir = tempDir('qum-profile-')
  const launch = () =>
    chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath(), args: chromiumArgs, baseURL: `http://127.0.0.1:${process.env.E2E_PORT ?? 5199}/` })
  let context = await launch()
  let page = await context.newPage()
  await startUpload(page, file.path, key)
  await expect.poll(() => partsDone(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(5)
  await context.close()
  await kodoAdmin('/_admin/throttle', { bytesPerSec: null })
  context = await launch()
  page = await context.newPage()
  await startUpload(page, file.path, key)
  await checkResumedUpload(page, file, key)
  await context.close()
})
