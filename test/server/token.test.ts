import { describe, expect, it } from 'vitest'
import { signUploadToken } from '../../src/kodo-server/token.js'
import { call, uploadsPath, useKodo } from './helpers.js'

describe('upload token signing (§2.1 vectors)', () => {
  it('matches the doc vector', () => {
    const policy =
      '{"scope":"my-bucket:sunflower.jpg","deadline":1451491200,"returnBody":"{\\"name\\":$(fname),\\"size\\":$(fsize),\\"w\\":$(imageInfo.width),\\"h\\":$(imageInfo.height),\\"hash\\":$(etag)}"}'
    const token = signUploadToken('AK', 'MY_SECRET_KEY', JSON.parse(policy))
    const [, sign, encodedPolicy] = token.split(':')
    expect(encodedPolicy).toBe(
      'eyJzY29wZSI6Im15LWJ1Y2tldDpzdW5mbG93ZXIuanBnIiwiZGVhZGxpbmUiOjE0NTE0OTEyMDAsInJldHVybkJvZHkiOiJ7XCJuYW1lXCI6JChmbmFtZSksXCJzaXplXCI6JChmc2l6ZSksXCJ3XCI6JChpbWFnZUluZm8ud2lkdGgpLFwiaFwiOiQoaW1hZ2VJbmZvLmhlaWdodCksXCJoYXNoXCI6JChldGFnKX0ifQ==',
    )
    expect(sign).toBe('wQ4ofysef1R7IKnrziqtomqyDvI=')
  })

  it('matches the Rust vector', () => {
    expect(signUploadToken('abcdefghklmnopq', '1234567890', 'hello')).toBe('abcdefghklmnopq:BZYt5uVRy1RVt5ZTXbaIt2ROVMA=:aGVsbG8=')
  })
})

describe('token verification (§2.2)', () => {
  const kodo = useKodo({ buckets: ['dev-bucket', 'other-bucket'] })
  const init = (token?: string, bucket = 'dev-bucket') =>
    call(kodo.server, uploadsPath('a.bin', bucket), { method: 'POST', ...(token === undefined ? {} : { token }) })

  it('accepts a good token, padded or not', async () => {
    const token = kodo.server.makeToken()
    expect((await init(token)).status).toBe(200)
    expect((await init(token.replace(/=+:/, ':'))).status).toBe(200)
  })

  it('refuses a missing token with 401', async () => {
    const answer = await init()
    expect(answer.status).toBe(401)
    expect(answer.body).toEqual({ error: 'token not specified', code: 401 })
  })

  it('refuses a bad signature, an unknown AK and a malformed token with 401 bad token', async () => {
    const token = kodo.server.makeToken()
    const [ak, sign, policy] = token.split(':')
    for (const bad of [`${ak}:${sign.slice(1)}x:${policy}`, `nobody:${sign}:${policy}`, `${ak}:${policy}`, `${token}:extra`]) {
      const answer = await init(bad)
      expect(answer.status).toBe(401)
      expect(answer.body.error).toBe('bad token')
    }
    const other = await call(kodo.server, uploadsPath('a.bin'), { method: 'POST', headers: { Authorization: `QBox ${token}` } })
    expect(other.status).toBe(401)
  })

  it('refuses an expired token with 401 expired token', async () => {
    const answer = await init(kodo.server.makeToken({ expiresIn: -10 }))
    expect(answer.status).toBe(401)
    expect(answer.body).toEqual({ error: 'expired token', code: 401 })
  })

  it('refuses a token for another bucket with 401, and an unknown bucket with 631', async () => {
    expect((await init(kodo.server.makeToken({ bucket: 'other-bucket' }))).status).toBe(401)
    expect((await init(kodo.server.makeToken({ bucket: 'nope' }), 'nope')).status).toBe(631)
  })

  it('enforces a bucket:key scope on the V2 key with 401', async () => {
    expect((await init(kodo.server.makeToken({ key: 'a.bin' }))).status).toBe(200)
    const answer = await init(kodo.server.makeToken({ key: 'b.bin' }))
    expect(answer.status).toBe(401)
    expect(answer.body.error).toBe("key doesn't match with scope")
  })

  it('refuses a policy without deadline', async () => {
    const token = kodo.server.signToken({ scope: 'dev-bucket' })
    expect((await init(token)).status).toBe(401)
  })
})
