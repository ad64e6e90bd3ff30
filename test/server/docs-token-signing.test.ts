// The README's Node token-signing block, run as written: its tokens must be ones the local Kodo server
// accepts, with the scope rules the README states next to it.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { qetag } from '../../src/kodo-server/qetag.js'
import { bytes, call, expectStored, formUpload, MiB, uploadsPath, uploadV2, useKodo } from './helpers.js'

type UploadToken = (options: { accessKey: string; secretKey: string; bucket: string; key?: string; lifetime?: number; [field: string]: unknown }) => string

/** The first ```js block of the README's "Upload tokens from your backend" section. */
function signingBlock(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const start = readme.indexOf('### Upload tokens from your backend')
  expect(start).toBeGreaterThan(0)
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(start))?.[1]
  expect(block).toContain("from 'node:crypto'")
  return block!
}

/** The README's ```python block. */
function pythonBlock(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const block = /```python\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('### Upload tokens from your backend')))?.[1]
  expect(block).toContain('def upload_token')
  return block!
}

const hasPython = spawnSync('python3', ['--version']).status === 0

const kodo = useKodo()
let dir: string
let uploadToken: UploadToken
let sign: (fields: { key?: string; lifetime?: number; [field: string]: unknown }) => string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'readme-token-'))
  const file = join(dir, 'token.mjs')
  writeFileSync(file, signingBlock())
  ;({ uploadToken } = await import(/* @vite-ignore */ pathToFileURL(file).href))
  sign = (fields) => uploadToken({ accessKey: kodo.server.accessKey, secretKey: kodo.server.secretKey, bucket: kodo.server.bucket, ...fields })
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const form = (token: string, data: Buffer, key?: string) =>
  formUpload(kodo.server, [['token', token], ...(key === undefined ? [] : ([['key', key]] as [string, string][])), ['file', { data, filename: 'f.bin' }]])

describe("the README's Node uploadToken()", () => {
  it('signs the Kodo documentation test vector', () => {
    const returnBody = '{"name":$(fname),"size":$(fsize),"w":$(imageInfo.width),"h":$(imageInfo.height),"hash":$(etag)}'
    const token = uploadToken({ accessKey: 'AK', secretKey: 'MY_SECRET_KEY', bucket: 'my-bucket', key: 'sunflower.jpg', deadline: 1451491200, returnBody })
    expect(token).toBe(
      'AK:wQ4ofysef1R7IKnrziqtomqyDvI=:eyJzY29wZSI6Im15LWJ1Y2tldDpzdW5mbG93ZXIuanBnIiwiZGVhZGxpbmUiOjE0NTE0OTEyMDAsInJldHVybkJvZHkiOiJ7XCJuYW1lXCI6JChmbmFtZSksXCJzaXplXCI6JChmc2l6ZSksXCJ3XCI6JChpbWFnZUluZm8ud2lkdGgpLFwiaFwiOiQoaW1hZ2VJbmZvLmhlaWdodCksXCJoYXNoXCI6JChldGFnKX0ifQ==',
    )
  })

  it('a bucket:key token stores that key (form and V2), refuses another key, and overwrites', async () => {
    const data = bytes(1000)
    expect(await form(sign({ key: 'a.bin' }), data, 'a.bin')).toMatchObject({ status: 200, body: { key: 'a.bin', hash: qetag(data) } })
    await expectStored(kodo.server, 'a.bin', data)
    expect((await form(sign({ key: 'a.bin' }), data, 'b.bin')).status).toBe(403)
    const parts = [bytes(MiB), bytes(1000)]
    expect(await uploadV2(kodo.server, 'a.bin', parts, sign({ key: 'a.bin' }))).toMatchObject({ status: 200, body: { key: 'a.bin' } })
    await expectStored(kodo.server, 'a.bin', Buffer.concat(parts))
    expect((await call(kodo.server, uploadsPath('b.bin'), { method: 'POST', token: sign({ key: 'a.bin' }) })).status).toBe(401) // initParts
  })

  it('insertOnly: 1 refuses to replace an existing key (614)', async () => {
    await form(sign({ key: 'once.bin' }), bytes(10), 'once.bin')
    expect(await form(sign({ key: 'once.bin', insertOnly: 1 }), bytes(10), 'once.bin')).toMatchObject({ status: 614 })
  })

  it('a bucket token lets the server name the object, and never replaces different content', async () => {
    const data = bytes(2000)
    expect(await form(sign({}), data)).toMatchObject({ status: 200, body: { key: qetag(data), hash: qetag(data) } })
    await form(sign({}), bytes(10), 'taken.bin')
    expect((await form(sign({}), bytes(10), 'taken.bin')).status).toBe(614)
  })

  it("the README's returnBody keeps hash and key", async () => {
    const data = bytes(3000)
    const returnBody = '{"hash":"$(etag)","key":"$(key)","size":$(fsize),"album":"$(x:album)"}'
    const answer = await formUpload(kodo.server, [
      ['token', sign({ key: 'rb.bin', returnBody })],
      ['key', 'rb.bin'],
      ['x:album', 'a'],
      ['file', { data, filename: 'f.bin' }],
    ])
    expect(answer.body).toEqual({ hash: qetag(data), key: 'rb.bin', size: 3000, album: 'a' })
  })

  it('an expired token is refused (401)', async () => {
    expect((await form(sign({ key: 'late.bin', lifetime: -10 }), bytes(10), 'late.bin')).status).toBe(401)
  })

  // Python is not part of the toolchain: this runs where python3 happens to be installed.
  it.skipIf(!hasPython)("the README's Python upload_token() makes tokens the server accepts", async () => {
    const { accessKey, secretKey, bucket } = kodo.server
    const script = `${pythonBlock()}\nimport sys\nprint(upload_token(*sys.argv[1:]))`
    const signed = spawnSync('python3', ['-c', script, accessKey, secretKey, bucket, 'py.bin'], { encoding: 'utf8' })
    expect(signed.stderr).toBe('')
    const data = bytes(500)
    expect(await form(signed.stdout.trim(), data, 'py.bin')).toMatchObject({ status: 200, body: { key: 'py.bin', hash: qetag(data) } })
    expect((await form(signed.stdout.trim(), data, 'other.bin')).status).toBe(403)
  })
})
