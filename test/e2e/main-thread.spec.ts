import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { kodo, kodoToken } from './kodo.js'
import { removeTempDirs, tempDir } from './temp-dirs.js'

// Hashing must never freeze the page: during a 128 MiB upload with MD5 and the object hash on, every digest
// is computed in the workers (the pool says so), none on the main thread. How long the main thread's tasks
// last is a timing, so it is printed here and bounded in the benchmark (`npm run bench`: long tasks), where
// the machine is quiet.
test.afterEach(removeTempDirs)

test('a 128 MiB upload with hashing on leaves the main thread free', async ({ page }) => {
  const path = join(tempDir(), 'big.bin')
  writeFileSync(path, randomBytes(128 << 20))
  await page.goto('/test/e2e/pages/upload.html')
  await page.waitForFunction(() => (window as any).ready === true)
  await page.setInputFiles('#file', path)
  const outcome = await page.evaluate(async ({ kodoUrl, token }) => {
    const longTasks: number[] = []
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => longTasks.push(entry.duration))).observe({ type: 'longtask' })
    const lib = (window as any).lib
    const manager = new lib.UploadManager({ uploadToken: token, upEndpoints: [kodoUrl], recorder: new lib.MemoryResumableRecorder() })
    const file = (document.querySelector('#file') as HTMLInputElement).files![0]
    const result = await manager.autoUploader().upload(file, { objectName: 'main-thread-' + Date.now() })
    await new Promise((resolve) => setTimeout(resolve, 100))
    return { hash: result.hash as string, longTasks, hashing: manager.hashing }
  }, { kodoUrl: kodo(), token: await kodoToken() })
  console.log(`long tasks during the upload: ${outcome.longTasks.length}, longest ${Math.max(0, ...outcome.longTasks).toFixed(0)} ms`)
  expect(outcome.hash).toMatch(/^[Fl]/)
  expect(outcome.hashing).toMatchObject({ kind: 'worker', via: 'file' })
  expect(outcome.hashing).not.toHaveProperty('reason')
})
