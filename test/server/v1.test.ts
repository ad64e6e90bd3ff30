import { createHash } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { qetag } from '../../src/kodo-server/qetag.js'
import { b64, bytes, call, expectBytes, expectStored, MiB, useKodo } from './helpers.js'

const kodo = useKodo()
const sha1 = (data: Buffer) => createHash('sha1').update(data).digest('base64').replaceAll('+', '-').replaceAll('/', '_')
const post = (path: string, body: Buffer | string, token = kodo.server.makeToken()) =>
  call(kodo.server, path, { method: 'POST', token, body })

/** Uploads one block as mkblk + bput chunks; returns the last answer. */
async function block(data: Buffer, chunkSize = data.length) {
  let answer = await post(`/mkblk/${data.length}`, data.subarray(0, chunkSize))
  for (let offset = chunkSize; offset < data.length; offset += chunkSize) {
    answer = await post(`/bput/${answer.body.ctx}/${offset}`, data.subarray(offset, offset + chunkSize))
  }
  return answer
}

describe('V1 mkblk / bput / mkfile (§5)', () => {
  it('answers mkblk and bput with ctx, checksum, crc32 of the body, offset, host, expired_at', async () => {
    const data = bytes(3000)
    const first = await post('/mkblk/3000', data.subarray(0, 1000))
    expect(first.body).toMatchObject({
      checksum: sha1(data.subarray(0, 1000)),
      crc32: crc32(data.subarray(0, 1000)),
      offset: 1000,
      host: kodo.server.url,
      expired_at: expect.any(Number),
    })
    const second = await post(`/bput/${first.body.ctx}/1000`, data.subarray(1000))
    expect(second.body).toMatchObject({ checksum: sha1(data), crc32: crc32(data.subarray(1000)), offset: 3000 })
    expect(second.body.ctx).not.toBe(first.body.ctx)
  })

  it('builds a file from blocks, with mkfile segments in any order', async () => {
    const data = bytes(4 * MiB + 5000)
    const a = await block(data.subarray(0, 4 * MiB), MiB)
    const b = await block(data.subarray(4 * MiB))
    const path = `/mkfile/${data.length}/x:v/${b64('w')}/mimeType/${b64('text/plain')}/key/${b64('v1.bin')}/x-qn-meta-m/${b64('n')}/fname/${b64('a.txt')}`
    const answer = await post(path, `${a.body.ctx},${b.body.ctx}`)
    expect(answer).toMatchObject({ status: 200, body: { hash: qetag(data), key: 'v1.bin' } })
    const attributes = { mimeType: 'text/plain', fname: 'a.txt', metadata: { 'x-qn-meta-m': 'n' }, customVars: { 'x:v': 'w' } }
    await expectStored(kodo.server, 'v1.bin', data, attributes)
  })

  it('creates an empty object from mkfile 0 with an empty body', async () => {
    const answer = await post(`/mkfile/0/key/${b64('empty')}`, '')
    expect(answer.body).toEqual({ hash: 'Fto5o-5ea0sNMlW_75VgGJCv2AcJ', key: 'empty' })
  })

  it('answers 701 for unknown, superseded, out-of-turn and expired ctxs', async () => {
    const first = await post('/mkblk/100', bytes(50))
    expect((await post('/bput/nope/50', bytes(10))).status).toBe(701)
    expect((await post(`/bput/${first.body.ctx}/40`, bytes(10))).status).toBe(701)
    const second = await post(`/bput/${first.body.ctx}/50`, bytes(50))
    expect(second.status).toBe(200)
    const stale = await post(`/bput/${first.body.ctx}/50`, bytes(10))
    expect(stale).toMatchObject({ status: 701, body: { code: 701 } })
    // mkfile wants finished blocks.
    const partial = await post('/mkblk/100', bytes(10))
    expect((await post('/mkfile/10', partial.body.ctx)).status).toBe(701)
    expect(kodo.server.expireCtxs()).toBeGreaterThan(0)
    expect((await post('/mkfile/100', second.body.ctx)).body).toEqual({ error: 'expired ctx', code: 701 })
  })

  it('refuses bad sizes with 400', async () => {
    expect((await post(`/mkblk/${4 * MiB + 1}`, bytes(10))).status).toBe(400)
    expect((await post('/mkblk/10', bytes(11))).status).toBe(400)
    const first = await post('/mkblk/10', bytes(5))
    expect((await post(`/bput/${first.body.ctx}/5`, bytes(6))).status).toBe(400)
    const whole = await post(`/bput/${first.body.ctx}/5`, bytes(5))
    expect((await post('/mkfile/11', whole.body.ctx)).status).toBe(400)
    // Blocks other than the last must be 4 MiB, or the hash would be wrong.
    const small = await post('/mkblk/10', bytes(10))
    expect((await post('/mkfile/20', `${small.body.ctx},${whole.body.ctx}`)).status).toBe(400)
    expect((await post('/mkfile/10/key', whole.body.ctx)).status).toBe(400)
  })

  it('overwrites under a plain bucket scope unless insertOnly, and checks the key scope with 401', async () => {
    const upload = async (data: Buffer, token = kodo.server.makeToken()) => {
      const answer = await post(`/mkblk/${data.length}`, data, token)
      return post(`/mkfile/${data.length}/key/${b64('same')}`, answer.body.ctx, token)
    }
    expect((await upload(bytes(10))).status).toBe(200)
    const newer = bytes(10)
    expect((await upload(newer)).status).toBe(200)
    expectBytes(await kodo.server.objectBytes('same'), newer)
    expect((await upload(bytes(10), kodo.server.makeToken({ insertOnly: 1 }))).status).toBe(614)
    expect((await upload(bytes(10), kodo.server.makeToken({ key: 'other' }))).status).toBe(401)
  })

  it('consumes the ctxs of a finished file', async () => {
    const answer = await post('/mkblk/10', bytes(10))
    expect((await post('/mkfile/10', answer.body.ctx)).status).toBe(200)
    expect((await post('/mkfile/10', answer.body.ctx)).status).toBe(701)
  })
})
