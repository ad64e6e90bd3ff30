import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { qetag } from '../../src/kodo-server/qetag.js'
import { b64, bytes, call, expectBytes, expectStored, MiB, uploadsPath, uploadV2, useKodo } from './helpers.js'

const kodo = useKodo()
const md5 = (data: Buffer) => createHash('md5').update(data).digest()

/** Starts an upload and returns its base path and token. */
async function start(key: string | null = 'k.bin', token = kodo.server.makeToken()) {
  const init = await call(kodo.server, uploadsPath(key), { method: 'POST', token })
  expect(init.status).toBe(200)
  return { base: `${uploadsPath(key)}/${init.body.uploadId}`, token, uploadId: init.body.uploadId as string }
}

const put = (base: string, n: number | string, token: string, body: Buffer, headers: Record<string, string> = {}) =>
  call(kodo.server, `${base}/${n}`, { method: 'PUT', token, body, headers })

const complete = (base: string, token: string, request: unknown) =>
  call(kodo.server, base, { method: 'POST', token, body: JSON.stringify(request) })

describe('V2 multipart upload (§4)', () => {
  it('answers init with uploadId and expireAt 7 days ahead', async () => {
    const answer = await call(kodo.server, uploadsPath('k.bin'), { method: 'POST', token: kodo.server.makeToken() })
    expect(answer.body.uploadId).toMatch(/^[0-9a-f]{24}$/)
    expect(answer.body.expireAt - Date.now() / 1000).toBeCloseTo(7 * 86400, -1)
  })

  it('stores a 3-part upload byte for byte with the part-layout hash', async () => {
    const parts = [bytes(1 * MiB), bytes(4 * MiB), bytes(MiB / 2)]
    const { base, token } = await start()
    const metadata = { 'x-qn-meta-color': 'blue' }
    const etags = []
    for (const [i, part] of parts.entries()) {
      const answer = await put(base, i + 1, token, part)
      expect(answer.body).toEqual({ etag: qetag(part), md5: md5(part).toString('hex') })
      etags.push({ partNumber: i + 1, etag: answer.body.etag })
    }
    const request = { parts: etags, fname: 'k.bin', mimeType: 'video/mp4', metadata, customVars: { 'x:a': '1' }, mime_type: 'x/y' }
    const answer = await complete(base, token, request)
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ hash: qetag(parts), key: 'k.bin' })
    expect(answer.body.hash).toMatch(/^n/)
    await expectStored(kodo.server, 'k.bin', Buffer.concat(parts), {
      fsize: 5.5 * MiB,
      md5: md5(Buffer.concat(parts)).toString('hex'),
      mimeType: 'video/mp4',
      fname: 'k.bin',
      metadata,
      customVars: { 'x:a': '1' },
      ignoredFields: ['mime_type'],
    })
  })

  it('gives the V1 hash when every part but the last is 4 MiB', async () => {
    const data = bytes(4 * MiB + 100)
    const parts = [data.subarray(0, 4 * MiB), data.subarray(4 * MiB)]
    const answer = await uploadV2(kodo.server, null, parts)
    expect(answer.body.hash).toBe(qetag(data))
    expect(answer.body.key).toBe(qetag(data))
  })

  it('builds the object from the listed parts only, replacing re-sent parts', async () => {
    const { base, token } = await start()
    const [one, two, three, newOne] = [bytes(MiB), bytes(MiB), bytes(10), bytes(2 * MiB)]
    await put(base, 1, token, one)
    await put(base, 2, token, two)
    const e3 = (await put(base, 3, token, three)).body.etag
    const e1 = (await put(base, 1, token, newOne)).body.etag
    const answer = await complete(base, token, { parts: [{ partNumber: 1, etag: e1 }, { partNumber: 3, etag: e3 }] })
    expect(answer.status).toBe(200)
    expectBytes(await kodo.server.objectBytes('k.bin'), Buffer.concat([newOne, three]))
  })

  it('checks Content-MD5 as hex (any case) or Base64', async () => {
    const { base, token } = await start()
    const part = bytes(1000)
    expect((await put(base, 1, token, part, { 'Content-MD5': md5(part).toString('hex').toUpperCase() })).status).toBe(200)
    expect((await put(base, 2, token, part, { 'Content-MD5': md5(part).toString('base64') })).status).toBe(200)
    const wrong = await put(base, 3, token, part, { 'Content-MD5': md5(bytes(3)).toString('hex') })
    expect(wrong.status).toBe(400)
    expect(wrong.body.error).toMatch(/Content-MD5 mismatch/)
    expect((await put(base, 4, token, part, { 'Content-MD5': 'nonsense' })).status).toBe(400)
  })

  it('refuses part numbers outside 1..10000', async () => {
    const { base, token } = await start()
    for (const n of [0, 10001, 'x']) expect((await put(base, n, token, bytes(10))).status).toBe(400)
    expect((await put(base, 10000, token, bytes(10))).status).toBe(200)
  })

  it('validates the complete request', async () => {
    const { base, token } = await start()
    const e1 = (await put(base, 1, token, bytes(MiB))).body.etag
    const e2 = (await put(base, 2, token, bytes(MiB - 1))).body.etag
    const e3 = (await put(base, 3, token, bytes(10))).body.etag
    const cases: [unknown, RegExp][] = [
      [{ parts: [] }, /parts param can't be empty/],
      [{}, /parts param can't be empty/],
      [{ parts: [{ partNumber: 3, etag: e3 }, { partNumber: 1, etag: e1 }] }, /ascending/],
      [{ parts: [{ partNumber: 1, etag: e1 }, { partNumber: 1, etag: e1 }] }, /ascending/],
      [{ parts: [{ partNumber: 1, etag: e2 }] }, /etag/],
      [{ parts: [{ partNumber: 4, etag: e1 }] }, /no such part/],
      [{ parts: [{ partNumber: 2, etag: e2 }, { partNumber: 3, etag: e3 }] }, /at least 1 MiB/],
      [{ parts: [{ partNumber: 1, etag: e1 }], metadata: { color: 'x' } }, /metadata/],
      [{ parts: [{ partNumber: 1, etag: e1 }], customVars: { a: 'x' } }, /customVars/],
    ]
    for (const [request, error] of cases) {
      const answer = await complete(base, token, request)
      expect(answer.status, JSON.stringify(request)).toBe(400)
      expect(answer.body.error).toMatch(error)
    }
    const bad = await call(kodo.server, base, { method: 'POST', token, body: '{nope' })
    expect(bad.status).toBe(400)
    // Failed completes leave the upload alive; gaps are allowed.
    const ok = await complete(base, token, { parts: [{ partNumber: 1, etag: e1 }, { partNumber: 3, etag: e3 }] })
    expect(ok.status).toBe(200)
  })

  it('answers 612 for unknown, finished, aborted, expired and misdirected uploadIds', async () => {
    const token = kodo.server.makeToken()
    const unknown = await put(`${uploadsPath('k.bin')}/0123456789abcdef01234567`, 1, token, bytes(5))
    expect(unknown.status).toBe(612)
    expect(unknown.body).toEqual({ error: 'no such uploadId', code: 612 })

    const done = await start()
    const etag = (await put(done.base, 1, token, bytes(5))).body.etag
    expect((await complete(done.base, token, { parts: [{ partNumber: 1, etag }] })).status).toBe(200)
    expect((await put(done.base, 2, token, bytes(5))).status).toBe(612)
    expect((await call(kodo.server, done.base, { token })).status).toBe(612)
    expect((await complete(done.base, token, { parts: [{ partNumber: 1, etag }] })).status).toBe(612)

    const aborted = await start()
    const abort = await call(kodo.server, aborted.base, { method: 'DELETE', token })
    expect(abort).toMatchObject({ status: 200, body: {} })
    expect((await call(kodo.server, aborted.base, { method: 'DELETE', token })).status).toBe(612)

    const expired = await start()
    expect(kodo.server.expireUpload(expired.uploadId)).toBe(true)
    expect((await put(expired.base, 1, token, bytes(5))).status).toBe(612)

    const other = await start('a.bin')
    expect((await put(`${uploadsPath('b.bin')}/${other.uploadId}`, 1, token, bytes(5))).status).toBe(612)
    expect((await put(`${uploadsPath(null)}/${other.uploadId}`, 1, token, bytes(5))).status).toBe(612)
  })

  it('pages listParts with either marker spelling', async () => {
    const { base, token } = await start()
    for (const n of [1, 2, 3, 5, 8]) await put(base, n, token, bytes(n))
    const first = await call(kodo.server, `${base}?max-parts=2`, { token })
    expect(first.body.parts.map((p: any) => p.partNumber)).toEqual([1, 2])
    expect(first.body.partNumberMarker).toBe(2)
    expect(first.body.parts[1]).toMatchObject({ partNumber: 2, size: 2, etag: expect.any(String), putTime: expect.any(Number) })
    const second = await call(kodo.server, `${base}?max-parts=2&part-number-marker=2`, { token })
    expect(second.body.parts.map((p: any) => p.partNumber)).toEqual([3, 5])
    const third = await call(kodo.server, `${base}?max-parts=2&part-number_marker=5`, { token })
    expect(third.body).toMatchObject({ partNumberMarker: 0, parts: [{ partNumber: 8, size: 8 }] })
    const all = await call(kodo.server, base, { token })
    expect(all.body.parts).toHaveLength(5)
    expect(all.body.partNumberMarker).toBe(0)
    expect((await call(kodo.server, `${base}?max-parts=x`, { token })).status).toBe(400)
  })

  it('applies the overwrite rules of §2.4', async () => {
    const data = bytes(100)
    expect((await uploadV2(kodo.server, 'o.bin', [data])).status).toBe(200)
    // Plain bucket scope: same content is fine, different content is 614.
    expect((await uploadV2(kodo.server, 'o.bin', [data])).status).toBe(200)
    const exists = await uploadV2(kodo.server, 'o.bin', [bytes(100)])
    expect(exists).toMatchObject({ status: 614, body: { error: 'file exists', code: 614 } })
    // bucket:key scope overwrites, unless insertOnly.
    const other = bytes(100)
    expect((await uploadV2(kodo.server, 'o.bin', [other], kodo.server.makeToken({ key: 'o.bin' }))).status).toBe(200)
    expectBytes(await kodo.server.objectBytes('o.bin'), other)
    const insertOnly = kodo.server.makeToken({ key: 'o.bin', insertOnly: 1 })
    expect((await uploadV2(kodo.server, 'o.bin', [bytes(100)], insertOnly)).status).toBe(614)
  })

  it('derives the key from saveKey and expands returnBody', async () => {
    const token = kodo.server.makeToken({
      saveKey: 'up/$(etag)$(ext)',
      returnBody: '{"key":$(key),"size":$(fsize),"quoted":"$(fsize)","name":"$(fname)","v":$(x:v),"bucket":"$(bucket)"}',
    })
    const { base } = await start(null, token)
    const data = bytes(10)
    const etag = (await put(base, 1, token, data)).body.etag
    const answer = await complete(base, token, { parts: [{ partNumber: 1, etag }], fname: 'a "b".txt', customVars: { 'x:v': 'w' } })
    expect(answer.body).toEqual({ key: `up/${qetag(data)}.txt`, size: 10, quoted: '10', name: 'a "b".txt', v: 'w', bucket: 'dev-bucket' })
  })

  it('checks the final key against a bucket:key or prefixal scope at complete', async () => {
    const token = kodo.server.makeToken({ key: 'wanted.bin' })
    const { base } = await start(null, token)
    const etag = (await put(base, 1, token, bytes(10))).body.etag
    expect((await complete(base, token, { parts: [{ partNumber: 1, etag }] })).status).toBe(401)
    const prefixal = kodo.server.makeToken({ key: 'dir/', isPrefixalScope: 1 })
    expect((await uploadV2(kodo.server, 'dir/a', [bytes(5)], prefixal)).status).toBe(200)
    expect((await call(kodo.server, uploadsPath('else/a'), { method: 'POST', token: prefixal })).status).toBe(401)
  })

  it('enforces fsizeLimit, fsizeMin and mimeLimit at complete', async () => {
    expect((await uploadV2(kodo.server, 'a', [bytes(11)], kodo.server.makeToken({ fsizeLimit: 10 }))).status).toBe(413)
    expect((await uploadV2(kodo.server, 'a', [bytes(9)], kodo.server.makeToken({ fsizeMin: 10 }))).status).toBe(403)
    expect((await uploadV2(kodo.server, 'a', [bytes(9)], kodo.server.makeToken({ mimeLimit: 'image/*' }))).status).toBe(403)
    expect((await uploadV2(kodo.server, 'a', [bytes(9)], kodo.server.makeToken({ mimeLimit: '!image/*' }))).status).toBe(200)
  })

  it('decodes padded and unpadded Base64 keys alike', async () => {
    const key = 'ab' // b64 'YWI=' needs padding
    const token = kodo.server.makeToken()
    const init = await call(kodo.server, `/buckets/dev-bucket/objects/${b64(key)}/uploads`, { method: 'POST', token })
    const unpadded = `/buckets/dev-bucket/objects/${b64(key).replace(/=+$/, '')}/uploads/${init.body.uploadId}`
    expect((await put(unpadded, 1, token, bytes(3))).status).toBe(200)
    expect((await call(kodo.server, `/buckets/dev-bucket/objects/%%%/uploads`, { method: 'POST', token })).status).toBe(400)
  })
})
