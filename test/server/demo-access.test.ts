// The demo server's guard for real keys: it refuses a public host unless told to, then asks every
// `/api/*` request for the shared secret. Runs the demo's own startup function (Vite and all).
import { describe, expect, it } from 'vitest'
import { isLoopbackHost } from '../../demo/api-access.js'
import { startDemo } from '../../demo/server.js'

const realKeys = { QINIU_ACCESS_KEY: 'ak-not-real', QINIU_SECRET_KEY: 'sk-not-real', QINIU_BUCKET: 'a-bucket', QINIU_UP_HOST: 'http://127.0.0.1:9' }

// Each start runs Vite, which takes seconds on a busy machine.
describe('demo server on a public host', { timeout: 60_000 }, () => {
  it('knows the loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host), host).toBe(true)
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'example.com', '128.0.0.1']) expect(isLoopbackHost(host), host).toBe(false)
  })

  it('refuses a non-loopback host with real QINIU_* keys unless allowed', async () => {
    await expect(startDemo({ port: 0, host: '0.0.0.0', env: realKeys, watch: false })).rejects.toThrow(/--allow-public-host/)
  })

  it('allowed, it requires the shared secret on every /api/* request (header or cookie)', async () => {
    const demo = await startDemo({ port: 0, host: '0.0.0.0', env: realKeys, watch: false, allowPublicHost: true, apiSecret: 'shared-secret' })
    try {
      expect(demo.apiSecret).toBe('shared-secret')
      const base = `http://127.0.0.1:${new URL(demo.url).port}/api`
      for (const path of ['/config', '/token?key=a.bin', '/token', '/object?key=a.bin']) {
        const answer = await fetch(base + path, { redirect: 'manual' })
        expect(answer.status, path).toBe(401)
        expect(await answer.text()).not.toContain('token')
        expect((await fetch(base + path, { headers: { 'X-Demo-Secret': 'wrong' } })).status).toBe(401)
      }
      expect((await fetch(`${base}/config`, { headers: { 'X-Demo-Secret': 'shared-secret' } })).status).toBe(200)
      const token = await fetch(`${base}/token?key=a.bin`, { headers: { Cookie: 'other=1; demo-secret=shared-secret' } })
      expect(((await token.json()) as { token: string }).token).toMatch(/^ak-not-real:/)
    } finally {
      await demo.close()
    }
  })

  it('on a loopback host with real keys it needs no secret', async () => {
    const demo = await startDemo({ port: 0, env: realKeys, watch: false })
    try {
      expect(demo.apiSecret).toBeNull()
      expect((await fetch(new URL('api/config', demo.url))).status).toBe(200)
    } finally {
      await demo.close()
    }
  })
})
