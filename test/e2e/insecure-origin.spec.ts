import { chromium, expect, test } from '@playwright/test'
import { chromiumArgs, chromiumPath } from '../setup/chromium.js'
import { serveBuiltDist } from '../setup/static-server.js'
import { kodo, kodoAdmin, kodoToken } from './kodo.js'

// A plain-http page on a host that is not localhost is not a secure context: it has no crypto.subtle,
// in the page or in its Workers. The default uploader (hashing Workers, object-hash check on) must
// still store every object and check its hash (issue 11, bug 17).
test('on a plain-http page without WebCrypto, form, V1 and V2 uploads complete with the object hash checked', async () => {
  const site = await serveBuiltDist(process.cwd())
  // insecure.test resolves to the static server's address: an origin that is neither https nor localhost.
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...chromiumArgs, '--host-resolver-rules=MAP insecure.test 127.0.0.1'] })
  try {
    const page = await browser.newPage()
    await page.goto(site.url.replace('127.0.0.1', 'insecure.test') + '/')
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true)
    const results = await page.evaluate(async ({ kodo, token }) => {
      const { UploadManager, MemoryResumableRecorder } = (window as any).lib
      const manager = new UploadManager({ uploadToken: token, upEndpoints: [kodo], recorder: new MemoryResumableRecorder() })
      const outcomes = []
      for (const [version, size] of [['v2', 9 << 20], ['v1', 9 << 20], ['v2', 1000]] as const) {
        const bytes = new Uint8Array(size)
        for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536))
        const key = `insecure-${version}-${size}-${Date.now()}`
        const answer = await manager.autoUploader({ multiPartsVersion: version }).upload(new Blob([bytes]), { objectName: key })
        outcomes.push({ key, hash: answer.hash as string })
      }
      return { secure: isSecureContext, subtle: typeof crypto.subtle, outcomes }
    }, { kodo: kodo(), token: await kodoToken() })
    expect(results.secure).toBe(false)
    expect(results.subtle).toBe('undefined')
    for (const { key, hash } of results.outcomes) {
      const stored = await (await kodoAdmin(`/_admin/objects/dev-bucket/${Buffer.from(key).toString('base64url')}`)).json()
      expect(stored.hash).toBe(hash)
    }
  } finally {
    await browser.close()
    await site.close()
  }
})
