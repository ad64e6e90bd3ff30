import { randomBytes } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { serveStatic } from '../setup/static-server.js'
import { kodo, kodoAdmin, kodoToken, storedBytes } from './kodo.js'

// A page on another origin (any site the developer visits while the server runs) tries the admin API
// every way a page can: CORS reads, simple requests that need no preflight, no-cors writes, a guessed
// secret. It can neither read nor change anything; the same page given the secret can.

test('a page on another origin cannot read, delete, reset or sign anything through the admin API', async ({ page }) => {
  const key = `admin-origin-${Date.now()}.bin`
  const bytes = randomBytes(1000)
  const form = new FormData()
  form.set('token', await kodoToken({ key }))
  form.set('key', key)
  form.set('file', new Blob([bytes]))
  expect((await fetch(kodo(), { method: 'POST', body: form })).status).toBe(200)
  await kodoAdmin('/_admin/faults', { api: 'mkblk', nth: 1000, action: 'status', status: 599 })
  const logBefore = await (await kodoAdmin('/_admin/log')).json()

  const site = await serveStatic(process.cwd(), { '/': '<!doctype html><title>another site</title>' })
  try {
    await page.goto(site.url + '/')
    const object = `/_admin/objects/dev-bucket/${Buffer.from(key).toString('base64url')}`
    const attempts = await page.evaluate(
      async ({ kodoUrl, object }) => {
        const tries: Array<[string, string, RequestInit]> = [
          ['read the log', '/_admin/log', {}],
          ['list objects', '/_admin/objects/dev-bucket', {}],
          ['read the bytes', `${object}/bytes`, {}],
          ['sign a token (simple request)', '/_admin/token', { method: 'POST', body: '{"key":"x"}', headers: { 'Content-Type': 'text/plain' } }],
          ['sign a token (JSON)', '/_admin/token', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } }],
          ['delete the object', object, { method: 'DELETE' }],
          ['clear the log', '/_admin/log', { method: 'DELETE' }],
          ['reset', '/_admin/reset', { method: 'POST', body: '{}', headers: { 'Content-Type': 'text/plain' } }],
          ['reset, no-cors', '/_admin/reset', { method: 'POST', body: '{}', mode: 'no-cors' }],
          ['clear faults, no-cors', '/_admin/faults', { method: 'POST', body: '[]', mode: 'no-cors' }],
          ['guess the secret', '/_admin/log', { headers: { 'X-Kodo-Admin-Secret': 'kodo-dev-admin-secret' } }],
        ]
        const outcomes: Record<string, string> = {}
        for (const [what, path, init] of tries) {
          try {
            const response = await fetch(kodoUrl + path, init)
            outcomes[what] = response.type === 'opaque' ? 'opaque' : `read ${response.status}: ${await response.text()}`
          } catch {
            outcomes[what] = 'blocked'
          }
        }
        return outcomes
      },
      { kodoUrl: kodo(), object },
    )
    for (const [what, outcome] of Object.entries(attempts)) expect(outcome, what).toMatch(/^(blocked|opaque)$/)

    // Nothing changed: the object, the log and the fault rules are as they were.
    expect((await storedBytes(key)).equals(bytes)).toBe(true)
    expect(await (await kodoAdmin('/_admin/log')).json()).toEqual(logBefore)
    expect((await (await kodoAdmin('/_admin/faults')).json()).rules).toEqual([expect.objectContaining({ api: 'mkblk', nth: 1000 })])

    // The same page with the secret (the owner's page) reads the admin API.
    const owner = await page.evaluate(
      async ({ kodoUrl, secret }) => (await fetch(kodoUrl + '/_admin/objects/dev-bucket', { headers: { 'X-Kodo-Admin-Secret': secret } })).json(),
      { kodoUrl: kodo(), secret: process.env.KODO_ADMIN_SECRET! },
    )
    expect(owner).toContainEqual(expect.objectContaining({ key, fsize: 1000 }))
  } finally {
    await site.close()
    await kodoAdmin('/_admin/faults', undefined, 'DELETE')
  }
})
