import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { startKodoServer } from '../../src/kodo-server/server.js'
import { b64, bytes, call, uploadsPath, uploadV2, useKodo } from './helpers.js'

const kodo = useKodo()
const admin = (path: string, method = 'GET', body?: unknown) =>
  call(kodo.server, `/_admin${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })

describe('admin API', () => {
  it('refuses every request without the admin secret, and names no other origin in its CORS headers', async () => {
    await uploadV2(kodo.server, 'kept.bin', [bytes(10)])
    const page = 'http://other.test'
    const attempts: [string, string][] = [
      ['GET', '/log'], ['DELETE', '/log'], ['GET', '/objects/dev-bucket'], ['GET', `/objects/dev-bucket/${b64('kept.bin')}/bytes`],
      ['DELETE', `/objects/dev-bucket/${b64('kept.bin')}`], ['POST', '/token'], ['POST', '/reset'], ['POST', '/faults'],
    ]
    for (const secret of [undefined, 'wrong', kodo.server.adminSecret.slice(1)]) {
      for (const [method, path] of attempts) {
        const headers: Record<string, string> = { Origin: page, 'Content-Type': 'text/plain' }
        if (secret !== undefined) headers['X-Kodo-Admin-Secret'] = secret
        const answer = await fetch(`${kodo.server.url}/_admin${path}`, { method, headers, body: method === 'POST' ? '{}' : undefined })
        expect(answer.status, `${method} ${path}`).toBe(401)
        expect(answer.headers.get('access-control-allow-origin')).toBeNull()
        expect(await answer.text()).not.toMatch(/token"|kept\.bin/)
      }
    }
    expect(kodo.server.listObjects().map((o) => o.key)).toEqual(['kept.bin'])
    expect(kodo.server.requestLog().length).toBeGreaterThan(0)
    expect(kodo.server.listFaults().rules).toEqual([])

    const preflight = await fetch(`${kodo.server.url}/_admin/reset`, {
      method: 'OPTIONS',
      headers: { Origin: page, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-kodo-admin-secret' },
    })
    expect(preflight.headers.get('access-control-allow-origin')).toBe(page)
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Content-Type, X-Kodo-Admin-Secret')
    expect(kodo.server.listObjects()).toHaveLength(1)

    const owner = await fetch(`${kodo.server.url}/_admin/objects/dev-bucket`, { headers: { Origin: page, ...kodo.server.adminHeaders } })
    expect(owner.status).toBe(200)
    expect(owner.headers.get('access-control-allow-origin')).toBe(page)
    expect(owner.headers.get('vary')).toBe('Origin')
    const upload = await call(kodo.server, uploadsPath('k'), { method: 'POST', token: kodo.server.makeToken(), headers: { Origin: page } })
    expect(upload.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('takes a fixed admin secret, and makes a new one each run otherwise', async () => {
    const fixed = await startKodoServer({ adminSecret: 'sesame' })
    const other = await startKodoServer()
    try {
      expect(fixed.adminHeaders).toEqual({ 'X-Kodo-Admin-Secret': 'sesame' })
      expect((await fetch(`${fixed.url}/_admin/log`, { headers: { 'X-Kodo-Admin-Secret': 'sesame' } })).status).toBe(200)
      expect(other.adminSecret).toMatch(/^[\w-]{32}$/)
      expect(other.adminSecret).not.toBe(kodo.server.adminSecret)
    } finally {
      await Promise.all([fixed.close(), other.close()])
    }
  })

  it('signs tokens with the dev keys', async () => {
    const { token } = (await admin('/token', 'POST', { key: 'only', insertOnly: 1 })).body
    const policy = JSON.parse(Buffer.from(token.split(':')[2], 'base64url').toString())
    expect(policy).toMatchObject({ scope: 'dev-bucket:only', insertOnly: 1, deadline: expect.any(Number) })
    expect((await call(kodo.server, uploadsPath('only'), { method: 'POST', token })).status).toBe(200)
    const raw = (await admin('/token', 'POST', { policy: { scope: 'dev-bucket', deadline: 1 } })).body.token
    expect((await call(kodo.server, uploadsPath('x'), { method: 'POST', token: raw })).body.error).toBe('expired token')
    expect((await admin('/token', 'POST')).status).toBe(200)
  })

  it('reads objects back, lists and deletes them', async () => {
    const data = bytes(1000)
    await uploadV2(kodo.server, 'dir/ö.bin', [data])
    const info = await admin(`/objects/dev-bucket/${b64('dir/ö.bin')}`)
    expect(info.body).toMatchObject({ key: 'dir/ö.bin', fsize: 1000, md5: createHash('md5').update(data).digest('hex'), putTime: expect.any(Number) })
    const raw = await fetch(`${kodo.server.url}/_admin/objects/dev-bucket/${b64('dir/ö.bin')}/bytes`, { headers: kodo.server.adminHeaders })
    expect(raw.headers.get('content-type')).toBe('application/octet-stream')
    expect(Buffer.from(await raw.arrayBuffer()).equals(data)).toBe(true)
    expect((await admin('/objects/dev-bucket')).body).toEqual([{ key: 'dir/ö.bin', fsize: 1000, hash: info.body.hash, putTime: info.body.putTime }])
    expect((await admin(`/objects/dev-bucket/${b64('dir/ö.bin')}`, 'DELETE')).status).toBe(200)
    expect((await admin(`/objects/dev-bucket/${b64('dir/ö.bin')}`)).status).toBe(404)
    expect((await admin(`/objects/dev-bucket/${b64('nope')}/bytes`)).status).toBe(404)
  })

  it('logs upload requests with their details, but not admin requests', async () => {
    const token = kodo.server.makeToken()
    const init = await call(kodo.server, uploadsPath('k'), { method: 'POST', token })
    const part = bytes(10)
    const md5 = createHash('md5').update(part).digest('hex')
    await call(kodo.server, `${uploadsPath('k')}/${init.body.uploadId}/3`, {
      method: 'PUT',
      token,
      body: part,
      headers: { 'Content-MD5': md5, Origin: 'http://page.test' },
    })
    await admin('/uploads')
    const log = (await admin('/log')).body
    expect(log.map((e: any) => e.api)).toEqual(['init', 'part'])
    expect(log[1]).toMatchObject({
      method: 'PUT',
      status: 200,
      bodyBytes: 10,
      bucket: 'dev-bucket',
      key: 'k',
      uploadId: init.body.uploadId,
      partNumber: 3,
      headers: { 'content-md5': md5, 'content-length': '10', origin: 'http://page.test', authorization: expect.stringMatching(/^UpToken .{20,}…$/) },
    })
    expect(log[1].endedAt).toBeGreaterThan(log[1].startedAt)
    expect(log[1].reqId).not.toBe(log[0].reqId)
    await admin('/log', 'DELETE')
    expect((await admin('/log')).body).toEqual([])
  })

  it('lists and expires uploads and ctxs', async () => {
    const token = kodo.server.makeToken()
    const init = await call(kodo.server, uploadsPath('k'), { method: 'POST', token })
    expect((await admin('/uploads')).body).toEqual([{ uploadId: init.body.uploadId, bucket: 'dev-bucket', key: 'k', expireAt: init.body.expireAt, parts: [] }])
    expect((await admin(`/uploads/${init.body.uploadId}/expire`, 'POST')).status).toBe(200)
    expect((await call(kodo.server, `${uploadsPath('k')}/${init.body.uploadId}`, { token })).status).toBe(612)
    expect((await admin('/uploads/nope/expire', 'POST')).status).toBe(404)
    const block = await call(kodo.server, '/mkblk/1', { method: 'POST', token, body: 'a' })
    expect((await admin('/ctx/expire-all', 'POST')).body).toEqual({ expired: 1 })
    expect((await call(kodo.server, '/mkfile/1', { method: 'POST', token, body: block.body.ctx })).status).toBe(701)
  })

  it('resets objects, uploads and faults', async () => {
    await uploadV2(kodo.server, 'k', [bytes(5)])
    await call(kodo.server, uploadsPath('k'), { method: 'POST', token: kodo.server.makeToken() })
    await admin('/faults', 'POST', { action: 'status' })
    await admin('/reset', 'POST')
    expect(kodo.server.listObjects()).toEqual([])
    expect(kodo.server.listUploads()).toEqual([])
    expect(kodo.server.listFaults().rules).toEqual([])
    expect(kodo.server.requestLog()).toEqual([])
  })

  it('sets a global throttle and the extra regions', async () => {
    expect((await admin('/throttle', 'POST', { bytesPerSec: 100_000 })).status).toBe(200)
    const start = performance.now()
    await call(kodo.server, '/_bench/sink', { method: 'PUT', body: bytes(30_000) })
    expect(performance.now() - start).toBeGreaterThanOrEqual(250)
    expect((await admin('/throttle', 'POST', { bytesPerSec: null })).status).toBe(200)
    expect((await admin('/throttle', 'POST', { bytesPerSec: -1 })).status).toBe(400)
    expect((await admin('/regions', 'POST', { extraRegions: [['h:1']] })).status).toBe(200)
    const query = await call(kodo.server, '/v4/query?ak=a&bucket=dev-bucket')
    expect(query.body.hosts[1].up.domains).toEqual(['h:1'])
    expect((await admin('/regions', 'POST', { extraRegions: 'h:1' })).status).toBe(400)
  })

  it('counts bytes in the bench sink', async () => {
    expect((await call(kodo.server, '/_bench/sink', { method: 'PUT', body: bytes(1000) })).body).toEqual({ size: 1000 })
    expect((await call(kodo.server, '/_bench/sink', { method: 'POST', body: bytes(24) })).body).toEqual({ size: 24 })
    expect((await call(kodo.server, '/_bench/sink')).body).toEqual({ total: 1024, requests: 2 })
  })
})
