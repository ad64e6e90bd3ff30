import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { MultipartParser } from '../../src/kodo-server/multipart.js'
import { qetag } from '../../src/kodo-server/qetag.js'
import { bytes, call, expectStored, formBody, formUpload, MiB, useKodo } from './helpers.js'

const kodo = useKodo()

describe('multipart parser', () => {
  it('finds boundaries split across any chunking', () => {
    const data = Buffer.concat([bytes(3000), Buffer.from('\r\n--not-the-boundary\r\n'), bytes(100)])
    const { body, contentType } = formBody([['file', { data, filename: 'x' }], ['key', 'k'], ['empty', '']])
    const boundary = contentType.split('boundary=')[1]
    for (const size of [1, 2, 7, 61, 4096, body.length]) {
      const parser = new MultipartParser(boundary)
      const events = []
      for (let i = 0; i < body.length; i += size) events.push(...parser.write(body.subarray(i, i + size)))
      parser.end()
      const parts = events.filter((e) => e.type === 'part')
      expect(parts.map((p: any) => p.headers['content-disposition'])).toEqual([
        'form-data; name="file"; filename="x"',
        'form-data; name="key"',
        'form-data; name="empty"',
      ])
      const fileData = Buffer.concat(events.slice(1, events.findIndex((e) => e.type === 'end')).map((e: any) => e.data))
      expect(fileData.equals(data)).toBe(true)
    }
  })

  it('refuses a truncated form', () => {
    const { body, contentType } = formBody([['key', 'k']])
    const parser = new MultipartParser(contentType.split('boundary=')[1])
    parser.write(body.subarray(0, body.length - 10))
    expect(() => parser.end()).toThrow(/truncated/)
  })
})

describe('form upload (§3)', () => {
  it('accepts the file first (qiniu-js) or last (doc) and stores it', async () => {
    const data = bytes(MiB + 3)
    const file = { data, filename: 'photo.jpg', type: 'image/jpeg' }
    const token = kodo.server.makeToken()
    const first = await formUpload(kodo.server, [['file', file], ['token', token], ['key', 'first.jpg'], ['crc32', String(crc32(data))]])
    expect(first).toMatchObject({ status: 200, body: { hash: qetag(data), key: 'first.jpg' } })
    const last = await formUpload(kodo.server, [['token', token], ['key', 'last.jpg'], ['x:a', 'b'], ['x-qn-meta-c', 'd'], ['file', file]])
    expect(last.status).toBe(200)
    const attributes = { mimeType: 'image/jpeg', fname: 'photo.jpg', customVars: { 'x:a': 'b' }, metadata: { 'x-qn-meta-c': 'd' } }
    await expectStored(kodo.server, 'last.jpg', data, attributes)
  })

  it('answers 406 when crc32 does not match', async () => {
    const data = bytes(100)
    const answer = await formUpload(kodo.server, [['file', { data }], ['crc32', String((crc32(data) + 1) % 2 ** 32)], ['token', kodo.server.makeToken()]])
    expect(answer).toMatchObject({ status: 406, body: { code: 406 } })
    expect(kodo.server.listObjects()).toEqual([])
  })

  it('uses the hash as key, octet-stream as type, and expands returnBody both ways', async () => {
    const returnBody = '{"key":"$(key)","hash":$(etag),"size":$(fsize),"fname":$(fname),"mime":"$(mimeType)","x":"$(x:a)","ext":"$(ext)","u":$(endUser),"id":"$(uuid)"}'
    const token = kodo.server.makeToken({ returnBody, endUser: 'me' })
    const data = bytes(10)
    const answer = await formUpload(kodo.server, [['token', token], ['x:a', 'q"q'], ['file', { data, filename: 'a.tar.gz' }]])
    expect(answer.body).toEqual({
      key: qetag(data),
      hash: qetag(data),
      size: 10,
      fname: 'a.tar.gz',
      mime: 'application/octet-stream',
      x: 'q"q',
      ext: '.gz',
      u: 'me',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    })
  })

  it('answers JSON whatever accept asks for, honours saveKey and the token checks', async () => {
    const data = bytes(10)
    const saved = await formUpload(kodo.server, [
      ['token', kodo.server.makeToken({ saveKey: 'u/$(x:user)/$(fname)' })],
      ['x:user', 'ann'],
      ['accept', 'text/html'],
      ['file', { data, filename: 'a.txt' }],
    ])
    expect(saved.headers.get('content-type')).toBe('application/json')
    expect(saved.body.key).toBe('u/ann/a.txt')
    const scoped = kodo.server.makeToken({ key: 'only.bin' })
    expect((await formUpload(kodo.server, [['token', scoped], ['key', 'other.bin'], ['file', { data }]])).status).toBe(403)
    expect((await formUpload(kodo.server, [['token', scoped], ['file', { data }]])).status).toBe(403)
    expect((await formUpload(kodo.server, [['key', 'x'], ['file', { data }]])).status).toBe(401)
    expect((await formUpload(kodo.server, [['token', kodo.server.makeToken({ expiresIn: -1 })], ['file', { data }]])).status).toBe(401)
    expect((await formUpload(kodo.server, [['token', kodo.server.makeToken()]])).status).toBe(400)
    expect((await formUpload(kodo.server, [['token', kodo.server.makeToken({ mimeLimit: 'image/png' })], ['file', { data }]])).status).toBe(403)
  })

  it('answers 614 for another file under an existing key, 200 for the same one', async () => {
    const data = bytes(10)
    const upload = (content: Buffer, token = kodo.server.makeToken()) => formUpload(kodo.server, [['token', token], ['key', 'k'], ['file', { data: content }]])
    expect((await upload(data)).status).toBe(200)
    expect((await upload(data)).status).toBe(200)
    expect((await upload(bytes(10))).body).toEqual({ error: 'file exists', code: 614 })
    expect((await upload(bytes(10), kodo.server.makeToken({ key: 'k' }))).status).toBe(200)
  })

  it('bounds the fields it holds in memory: 413 past 1 MiB of fields, 400 past 1000 parts', async () => {
    const token = kodo.server.makeToken()
    const file: [string, { data: Buffer }] = ['file', { data: bytes(10) }]
    const halfMiB = 'x'.repeat(MiB / 2)
    const heavy = await formUpload(kodo.server, [['token', token], ['x:a', halfMiB], ['x:b', halfMiB], ['x:c', halfMiB], file])
    expect(heavy.status).toBe(413)
    expect(heavy.body.error).toBe('form fields too large')
    const many = await formUpload(kodo.server, [['token', token], ...Array.from({ length: 1000 }, (_, i): [string, string] => [`x:f${i}`, '1']), file])
    expect(many.status).toBe(400)
    expect(many.body.error).toBe('more than 1000 form fields')
    expect(await kodo.server.listObjects()).toEqual([])
    expect((await formUpload(kodo.server, [['token', token], ['x:a', halfMiB], file])).status).toBe(200)
  })

  it('refuses a body that is not multipart', async () => {
    const answer = await call(kodo.server, '/', { method: 'POST', body: 'x=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
    expect(answer.status).toBe(400)
  })
})
