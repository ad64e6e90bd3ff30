import { expect, test } from '@playwright/test'
import { serveBuiltDist } from '../setup/static-server.js'
import { kodo, kodoToken, storedBytes } from './kodo.js'

// The built package, served as plain files from another origin than Kodo, with no bundler or import map.
test('dist/index.js served as static files uploads 37 MiB through V2 to another origin', async ({ page }) => {
  const site = await serveBuiltDist(process.cwd())
  try {
    await page.goto(site.url + '/')
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true)
    const result = await page.evaluate(async ({ kodoUrl, token }) => {
      const { UploadManager, MemoryResumableRecorder, SerialMultiPartsUploaderScheduler, BlobDataSource } = (window as any).lib
      const bytes = new Uint8Array(37 * 1024 * 1024 + 7)
      for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536))
      const manager = new UploadManager({ uploadToken: token, upEndpoints: [kodoUrl], recorder: new MemoryResumableRecorder() })
      const scheduler = new SerialMultiPartsUploaderScheduler(manager.multiPartsUploader({ version: 'v2' }))
      const key = 'dist-static-' + Date.now()
      const answer = await scheduler.upload(new BlobDataSource(new Blob([bytes])), { objectName: key })
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
      return { answer, key, sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('') }
    }, { kodoUrl: kodo(), token: await kodoToken() })
    expect(result.answer.key).toBe(result.key)
    const bytes = await storedBytes(result.key)
    expect(bytes.length).toBe(37 * 1024 * 1024 + 7)
    const { createHash } = await import('node:crypto')
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(result.sha256)
  } finally {
    await site.close()
  }
})
