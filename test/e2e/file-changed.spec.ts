import { randomBytes } from 'node:crypto'
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { kodo, kodoAdmin, kodoToken, storedBytes } from './kodo.js'
import { removeTempDirs, tempDir } from './temp-dirs.js'

// The file on disk changes while it uploads (a video still being written, a document saved again).
// Chromium's File is a snapshot: its later reads fail (Firefox and WebKit: test/engines/spec.js). The
// upload must fail with `local-io`, store nothing, and the changed file, picked again, must upload as it
// now is: never a mix of the two.

const MiB = 1 << 20

test.afterEach(removeTempDirs)

/** Starts uploading the picked file in 1 MiB parts over 2 lanes, each request held 100 ms; `window.outcome` settles with the result. */
async function startUpload(page: Page, key: string, version: 'v1' | 'v2'): Promise<void> {
  const token = await kodoToken()
  await page.evaluate(
    ({ kodoUrl, token, key, version }) => {
      const w = window as any
      w.partsDone = 0
      const slowFetch = async (request: Request, options: unknown) => {
        await new Promise((resolve) => setTimeout(resolve, 100))
        return w.lib.xhrFetch(request, options)
      }
      const manager = new w.lib.UploadManager({ uploadToken: token, upEndpoints: [kodoUrl], fetch: slowFetch })
      const file = (document.querySelector('#file') as HTMLInputElement).files![0]
      const uploader = manager.autoUploader({ concurrency: 2, partSize: 1024 * 1024, multiPartsVersion: version }).onPartUploaded(() => w.partsDone++)
      w.outcome = uploader.upload(file, { objectName: key }).then(
        (result: { key: string }) => ({ ok: result.key }),
        (error: any) => ({ kind: error.kind, message: error.message }),
      )
    },
    { kodoUrl: kodo(), token, key, version },
  )
}

for (const version of ['v1', 'v2'] as const) {
  for (const change of ['rewritten, same size', 'appended to'] as const) {
    test(`${version}: a file ${change} during its upload fails with local-io, stores nothing, and uploads as it now is when picked again`, async ({ page }) => {
      const size = version === 'v1' ? 24 * MiB : 16 * MiB // V1 blocks are 4 MiB: six of them
      const path = join(tempDir('qum-changed-'), 'growing.bin')
      writeFileSync(path, randomBytes(size))
      await page.goto('/test/e2e/pages/upload.html')
      await page.waitForFunction(() => (window as any).ready === true)
      await page.setInputFiles('#file', path)
      const key = `changed-${version}-${change.length}-${Date.now()}`
      await startUpload(page, key, version)
      await page.waitForFunction(() => (window as any).partsDone >= 2)
      if (change === 'appended to') appendFileSync(path, randomBytes(MiB))
      else writeFileSync(path, randomBytes(size))

      const outcome = await page.evaluate(() => (window as any).outcome)
      expect(outcome).toMatchObject({ kind: 'local-io' })
      expect(outcome.message).toMatch(/file changed/)
      expect((await kodoAdmin(`/_admin/objects/dev-bucket/${Buffer.from(key).toString('base64url')}/bytes`)).status).toBe(404)

      // Picked again, the file uploads as it is now.
      await page.setInputFiles('#file', path)
      await startUpload(page, key, version)
      expect(await page.evaluate(() => (window as any).outcome)).toEqual({ ok: key })
      expect((await storedBytes(key)).equals(readFileSync(path))).toBe(true)
    })
  }
}
