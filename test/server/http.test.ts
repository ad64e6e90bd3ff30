import { describe, expect, it } from 'vitest'
import { call, rawRequest, uploadsPath, useKodo } from './helpers.js'

const kodo = useKodo({ extraRegions: [['127.0.0.2:1', '127.0.0.3:1']] })

describe('headers and CORS (§9)', () => {
  it('answers preflights on any upload path without a token', async () => {
    for (const path of ['/', uploadsPath('k') + '/abc/1', '/nowhere']) {
      const answer = await call(kodo.server, path, {
        method: 'OPTIONS',
        headers: { Origin: 'http://page.test', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-md5, x-custom' },
      })
      expect(answer.status).toBe(200)
      expect(answer.headers.get('access-control-allow-origin')).toBe('*')
      expect(answer.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT, DELETE, OPTIONS')
      expect(answer.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type, Content-MD5, x-custom')
      expect(answer.headers.get('access-control-max-age')).toBe('2592000')
      expect(answer.headers.get('x-reqid')).toBeTruthy()
    }
  })

  it('sends X-Reqid, X-Log, no-store, JSON and CORS headers on successes and errors', async () => {
    const answers = [
      await call(kodo.server, uploadsPath('k'), { method: 'POST', token: kodo.server.makeToken() }),
      await call(kodo.server, uploadsPath('k'), { method: 'POST' }),
      await call(kodo.server, '/no/such/api'),
    ]
    expect(answers.map((a) => a.status)).toEqual([200, 401, 404])
    for (const { body } of answers.slice(1)) expect(body).toEqual({ error: expect.any(String), code: expect.any(Number) })
    for (const { headers } of answers) {
      expect(headers.get('x-reqid')).toMatch(/^[\w-]{16}$/)
      expect(headers.get('x-log')).toBeTruthy()
      expect(headers.get('cache-control')).toBe('no-store')
      expect(headers.get('content-type')).toBe('application/json')
      expect(headers.get('access-control-allow-origin')).toBe('*')
      expect(headers.get('access-control-expose-headers')).toBe('X-Reqid, X-Log')
    }
    expect(new Set(answers.map((a) => a.headers.get('x-reqid'))).size).toBe(3)
  })
})

describe('request bodies', () => {
  const head = (path: string, extra = '') =>
    `POST ${path} HTTP/1.1\nAuthorization: UpToken ${kodo.server.makeToken()}\nContent-Type: application/octet-stream\n${extra}`

  it('refuses a chunked body without Content-Length with 411', async () => {
    const answer = await rawRequest(kodo.server, head('/mkblk/5', 'Transfer-Encoding: chunked'), '5\r\nhello\r\n0\r\n\r\n')
    expect(answer.status).toBe(411)
    expect(answer.body).toEqual({ error: 'Content-Length required', code: 411 })
    expect(answer.headers['x-reqid']).toBeTruthy()
  })

  it('refuses a body shorter than its Content-Length with 400', async () => {
    const answer = await rawRequest(kodo.server, head('/mkblk/100', 'Content-Length: 100'), 'x'.repeat(40), true)
    expect(answer.status).toBe(400)
    expect(answer.body.error).toMatch(/shorter than Content-Length/)
    expect(answer.headers['x-reqid']).toBeTruthy()
    const [entry] = kodo.server.requestLog()
    expect(entry).toMatchObject({ api: 'mkblk', status: 400 })
    // The server carries on.
    expect((await call(kodo.server, '/mkblk/3', { method: 'POST', token: kodo.server.makeToken(), body: 'abc' })).status).toBe(200)
  })

  it('answers a malformed request with a Kodo 400', async () => {
    const answer = await rawRequest(kodo.server, 'POST / HTTP/1.1\nContent-Length: abc', '')
    expect(answer.status).toBe(400)
    expect(answer.body.code).toBe(400)
  })
})

describe('region query (§6)', () => {
  it('lists the server itself first with all seven services, then the extra regions', async () => {
    const answer = await call(kodo.server, `/v4/query?ak=${kodo.server.accessKey}&bucket=dev-bucket`)
    expect(answer.status).toBe(200)
    const [own, extra] = answer.body.hosts
    expect(own).toMatchObject({ ttl: 86400, up: { domains: [kodo.server.host], old: [] } })
    for (const service of ['io', 'uc', 'rs', 'rsf', 'api', 's3']) expect(own[service].domains).toEqual([kodo.server.host])
    expect(own.s3.region_alias).toEqual(expect.any(String))
    expect(extra.up).toEqual({ domains: ['127.0.0.2:1', '127.0.0.3:1'], old: [] })
    expect(answer.body.hosts).toHaveLength(2)
  })

  it('answers 631 for an unknown bucket and 400 without parameters', async () => {
    expect((await call(kodo.server, '/v4/query?ak=a&bucket=nope')).body).toEqual({ error: 'no such bucket', code: 631 })
    expect((await call(kodo.server, '/v4/query?bucket=dev-bucket')).status).toBe(400)
  })
})
