// The app's own test, as the package README shows it: start the Kodo server, upload through the app's
// UI, assert on the stored object and the request log.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { expect, test } from '@playwright/test'
import { startKodoServer } from 'qiniu-upload-manager/kodo-server'
import { startApp } from '../server.js'

let kodo
let app

test.beforeAll(async () => {
  kodo = await startKodoServer()
  app = await startApp({ upHost: kodo.url, bucket: kodo.bucket, accessKey: kodo.accessKey, secretKey: kodo.secretKey })
})

test.afterAll(async () => {
  await app?.close()
  await kodo?.close()
})

test('a file picked in the app is stored byte for byte, in a V2 upload from the app origin', async ({ page }) => {
  const bytes = randomBytes(6 * 1024 * 1024 + 3)
  await page.goto(app.url)
  await page.setInputFiles('#file', { name: 'report 2026.pdf', mimeType: 'application/pdf', buffer: bytes })
  await page.click('#upload')
  await expect(page.locator('#status')).toHaveText('Uploaded report 2026.pdf', { timeout: 30_000 })

  expect((await kodo.objectBytes('report 2026.pdf')).equals(bytes)).toBe(true)
  expect(await kodo.objectInfo('report 2026.pdf')).toMatchObject({ fsize: bytes.length, mimeType: 'application/pdf' })
  const uploads = kodo.requestLog().filter((entry) => entry.api !== 'preflight')
  expect(uploads.map((entry) => entry.api).sort()).toEqual(['complete', 'init', 'part', 'part'])
  expect(uploads.every((entry) => entry.status === 200 && entry.headers.origin === app.url)).toBe(true)
})

test('the browser entry carries no Node code; the server entry is separate', () => {
  const require = createRequire(import.meta.url)
  const browserEntry = readFileSync(require.resolve('qiniu-upload-manager/package.json').replace('package.json', 'dist/index.js'), 'utf8')
  expect(browserEntry).not.toMatch(/from ["']node:|kodo-server/)
})

test('the qiniu-kodo-server bin starts the server and prints its admin secret', async () => {
  const bin = fileURLToPath(new URL('../node_modules/.bin/qiniu-kodo-server', import.meta.url))
  const child = spawn(bin, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] })
  try {
    let printed = ''
    for await (const chunk of child.stdout) if (/admin secret\s+\S+\n/.test((printed += chunk))) break
    const url = /Kodo server\s+(\S+)/.exec(printed)[1]
    const secret = /admin secret\s+(\S+)/.exec(printed)[1]
    expect((await fetch(`${url}/_admin/log`)).status).toBe(401)
    expect((await fetch(`${url}/_admin/log`, { headers: { 'X-Kodo-Admin-Secret': secret } })).status).toBe(200)
  } finally {
    child.kill()
  }
})
