import { createHash } from 'node:crypto'
import { expect, test, type Page } from '@playwright/test'
import { kodo, kodoAdmin, kodoToken, storedBytes } from './kodo.js'

// The browser goes offline in the middle of an upload (Playwright's context.setOffline, which also
// flips navigator.onLine and fires the offline/online events): lanes wait for the network instead of
// burning their retries, and the upload carries on, byte for byte, once it is back.

const MiB = 1 << 20
const LANES = 4

interface Outcome {
  ok?: { key: string }
  error?: string
  /** Transport attempts that failed, as seen by a wrapper around the library's fetch. */
  failedAttempts: number
  sha256: string
}

async function openPage(page: Page): Promise<void> {
  await page.goto('/test/e2e/pages/upload.html')
  await page.waitForFunction(() => (window as any).ready === true)
}

/**
 * Starts a 24 MiB upload in 1 MiB parts over 4 lanes; `window.outcome` settles with its result.
 * Every failed transport attempt is counted by wrapping the library's own XHR fetch.
 */
async function startUpload(page: Page, key: string): Promise<void> {
  const token = await kodoToken()
  await page.evaluate(
    ({ kodoUrl, token, key, lanes, size }) => {
      const w = window as any
      w.partsDone = 0
      w.failedAttempts = 0
      w.outcome = (async () => {
        const bytes = new Uint8Array(size)
        for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536))
        const sha256 = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (b) => b.toString(16).padStart(2, '0')).join('')
        const countingFetch = (request: Request, options: unknown) =>
          w.lib.xhrFetch(request, options).catch((error: unknown) => {
            w.failedAttempts++
            throw error
          })
        w.recorder = new w.lib.MemoryResumableRecorder()
        const manager = new w.lib.UploadManager({ uploadToken: token, upEndpoints: [kodoUrl], recorder: w.recorder, fetch: countingFetch })
        const uploader = manager.autoUploader({ concurrency: lanes, partSize: 1024 * 1024 }).onPartUploaded(() => w.partsDone++)
        w.cancel = () => uploader.cancel(w.blob, { objectName: key })
        w.blob = new Blob([bytes])
        try {
          return { ok: await uploader.upload(w.blob, { objectName: key }), failedAttempts: w.failedAttempts, sha256 }
        } catch (error: any) {
          return { error: `${error.kind}: ${error.message}`, failedAttempts: w.failedAttempts, sha256 }
        }
      })()
    },
    { kodoUrl: kodo(), token, key, lanes: LANES, size: 24 * MiB },
  )
}

async function storedSha256(key: string): Promise<string> {
  const bytes = await storedBytes(key)
  return createHash('sha256').update(bytes).digest('hex')
}

test.beforeEach(async () => {
  await kodoAdmin('/_admin/log', undefined, 'DELETE')
  // Slow parts (2 MiB/s each), so the upload is still running when the network goes away.
  await kodoAdmin('/_admin/faults', { api: 'part', nth: 1, times: 1000, action: 'throttle', bytesPerSec: 2 * MiB })
})

test.afterEach(async () => {
  await kodoAdmin('/_admin/faults', undefined, 'DELETE')
})

test('going offline mid-upload pauses the lanes; back online, the upload completes byte for byte', async ({ page, context }) => {
  const key = `offline-${Date.now()}`
  await openPage(page)
  await startUpload(page, key)
  await expect.poll(() => page.evaluate(() => (window as any).partsDone), { timeout: 30_000 }).toBeGreaterThanOrEqual(4)
  await context.setOffline(true)
  // Long enough for several rounds of backoff (100 ms × 2^n) had the lanes kept retrying.
  await page.waitForTimeout(3_000)
  const failedWhileOffline = await page.evaluate(() => (window as any).failedAttempts)
  await context.setOffline(false)
  const outcome = (await page.evaluate(() => (window as any).outcome)) as Outcome
  expect(outcome.error).toBeUndefined()
  expect(outcome.ok!.key).toBe(key)
  expect(await storedSha256(key)).toBe(outcome.sha256)
  // At most one attempt per lane failed: each lane then waited for the network instead of retrying into
  // the outage (with retries it would fail the upload after 1 + retriesPerHost attempts).
  expect(failedWhileOffline).toBeGreaterThan(0)
  expect(failedWhileOffline).toBeLessThanOrEqual(LANES)
  expect(outcome.failedAttempts).toBe(failedWhileOffline)
})

test('an upload started while offline waits for the network, then completes', async ({ page, context }) => {
  const key = `offline-start-${Date.now()}`
  await openPage(page)
  await context.setOffline(true)
  await startUpload(page, key)
  await page.waitForTimeout(2_000)
  expect(await page.evaluate(() => (window as any).partsDone)).toBe(0)
  await context.setOffline(false)
  const outcome = (await page.evaluate(() => (window as any).outcome)) as Outcome
  expect(outcome.error).toBeUndefined()
  expect(await storedSha256(key)).toBe(outcome.sha256)
  // Only the first request (initParts) failed; it then waited for the network.
  expect(outcome.failedAttempts).toBe(1)
})

test('cancel while offline forgets the record at once and does not wait for the network', async ({ page, context }) => {
  const key = `offline-cancel-${Date.now()}`
  await openPage(page)
  await startUpload(page, key)
  await expect.poll(() => page.evaluate(() => (window as any).partsDone), { timeout: 30_000 }).toBeGreaterThanOrEqual(4)
  await context.setOffline(true)
  await page.waitForTimeout(500)
  // Still offline: the cancel resolves (the abort on the server is given up after a few seconds) and the record is gone.
  const records = await page.evaluate(async () => {
    const w = window as any
    await w.cancel()
    return (await w.recorder.entries()).length
  })
  expect(records).toBe(0)
  const outcome = (await page.evaluate(() => (window as any).outcome)) as Outcome
  expect(outcome.error).toMatch(/^aborted/)
  await context.setOffline(false)
})
