// The official Qiniu Node SDK (npm `qiniu`), unchanged, uploads to the local server: if the server were
// stricter or looser than Kodo where the SDK relies on it, these tests would show it.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import qiniu from 'qiniu'
import { afterAll, describe, expect, it } from 'vitest'
import { DEV_ACCESS_KEY, DEV_BUCKET, DEV_SECRET_KEY } from '../../src/kodo-server/server.js'
import { expectBytes, MiB, useKodo } from './helpers.js'

const kodo = useKodo()
const mac = new qiniu.auth.digest.Mac(DEV_ACCESS_KEY, DEV_SECRET_KEY)
const workDir = mkdtempSync(join(tmpdir(), 'official-sdk-'))
afterAll(() => rmSync(workDir, { recursive: true, force: true }))

// ---- qetag (protocol §8), written here from the algorithm, independent of the server's ----
const BLOCK = 4 * MiB
const sha1 = (data: Uint8Array) => createHash('sha1').update(data).digest()
const urlsafe = (data: Buffer) => data.toString('base64').replaceAll('+', '-').replaceAll('/', '_')

/** The 21 raw bytes of the whole-content qetag: 0x16 + SHA-1 of one block, or 0x96 + SHA-1 of the block SHA-1s. */
function qetagRaw(data: Buffer): Buffer {
  const blocks = Math.ceil(data.length / BLOCK)
  if (blocks <= 1) return Buffer.concat([Buffer.from([0x16]), sha1(data)])
  const digests = Array.from({ length: blocks }, (_, i) => sha1(data.subarray(i * BLOCK, (i + 1) * BLOCK)))
  return Buffer.concat([Buffer.from([0x96]), sha1(Buffer.concat(digests))])
}

const qetag = (data: Buffer) => urlsafe(qetagRaw(data))

/** The V2 hash: the whole-content qetag for 4 MiB parts, else 0x9e + SHA-1 of each part's qetag digest. */
function partLayoutQetag(data: Buffer, partSize: number): string {
  const parts = Array.from({ length: Math.ceil(data.length / partSize) }, (_, i) => data.subarray(i * partSize, (i + 1) * partSize))
  if (parts.every((part, i) => (i < parts.length - 1 ? part.length === BLOCK : part.length <= BLOCK))) return qetag(data)
  const digests = parts.map((part) => qetagRaw(part).subarray(1))
  return urlsafe(Buffer.concat([Buffer.from([0x9e]), sha1(Buffer.concat(digests))]))
}

// ---- the SDK, pointed at the local server the way an application points it at a private deployment ----
const uploadToken = (key?: string) => new qiniu.rs.PutPolicy({ scope: key === undefined ? DEV_BUCKET : `${DEV_BUCKET}:${key}` }).uploadToken(mac)

/** Regions come from the server's own `/v4/query`, over plain HTTP; the cache file stays out of the user's home. */
function queryConfig(): qiniu.conf.Config {
  const endpoint = new qiniu.httpc.Endpoint(kodo.server.host, { defaultScheme: 'http' })
  const config = new qiniu.conf.Config({ queryRegionsEndpointsProvider: new qiniu.httpc.StaticEndpointsProvider([endpoint]) })
  // The constructor takes this option, but the typings only know the property.
  config.regionsQueryResultCachePath = join(mkdtempSync(join(workDir, 'regions-')), 'cache.jsonl')
  return config
}

/** A fixed region whose up host is the local server: no region query at all. */
function staticRegionConfig(): qiniu.conf.Config {
  const up = [new qiniu.httpc.Endpoint(kodo.server.host, { defaultScheme: 'http' })]
  return new qiniu.conf.Config({ regionsProvider: new qiniu.httpc.Region({ regionId: 'local', services: { up } }) })
}

function writeFile(name: string, data: Buffer): string {
  const path = join(workDir, name)
  writeFileSync(path, data)
  return path
}

function resumeExtra(version: 'v1' | 'v2', options: { partSize?: number; params?: Record<string, string>; metadata?: Record<string, string> } = {}) {
  const extra = new qiniu.resume_up.PutExtra()
  extra.version = version
  if (options.partSize) extra.partSize = options.partSize
  if (options.params) extra.params = options.params
  if (options.metadata) extra.metadata = options.metadata
  return extra
}

/** The SDK rejects with an Error carrying `resp`; this turns both outcomes into status + body. */
async function settle(upload: Promise<{ data: unknown; resp: { statusCode?: number } }>) {
  try {
    const { data, resp } = await upload
    return { status: resp.statusCode, body: data as Record<string, unknown> }
  } catch (error) {
    const resp = (error as { resp?: { statusCode?: number; data?: unknown } }).resp
    if (!resp) throw error
    return { status: resp.statusCode, body: resp.data as Record<string, unknown> }
  }
}

async function expectObject(key: string, data: Buffer, hash: string) {
  expectBytes(await kodo.server.objectBytes(key), data)
  expect((await kodo.server.objectInfo(key))?.hash).toBe(hash)
}

/** The upload APIs called; the SDK caches its region query in memory, so only the first test sees one. */
const apis = () => kodo.server.requestLog().map((entry) => entry.api).filter((api) => api !== 'query')

describe('the official Node SDK (qiniu) against the local server', () => {
  describe('form upload', () => {
    it('puts a buffer with custom vars and metadata (streamed as a chunked body)', async () => {
      const data = randomBytes(300_001)
      const extra = new qiniu.form_up.PutExtra('photo.jpg', { 'x:album': 'summer' }, 'image/jpeg')
      extra.metadata = { 'x-qn-meta-camera': 'x100' }
      const answer = await settle(new qiniu.form_up.FormUploader(queryConfig()).put(uploadToken('form.jpg'), 'form.jpg', data, extra))
      expect(answer).toEqual({ status: 200, body: { hash: qetag(data), key: 'form.jpg' } })
      await expectObject('form.jpg', data, qetag(data))
      expect(await kodo.server.objectInfo('form.jpg')).toMatchObject({
        mimeType: 'image/jpeg',
        fname: 'photo.jpg',
        customVars: { 'x:album': 'summer' },
        metadata: { 'x-qn-meta-camera': 'x100' },
      })
    })

    it('puts a local file and an empty buffer', async () => {
      const data = randomBytes(5 * MiB + 17)
      const uploader = new qiniu.form_up.FormUploader(staticRegionConfig())
      const file = await settle(uploader.putFile(uploadToken('form-file.bin'), 'form-file.bin', writeFile('form-file.bin', data), null))
      expect(file).toEqual({ status: 200, body: { hash: qetag(data), key: 'form-file.bin' } })
      await expectObject('form-file.bin', data, qetag(data))
      const empty = await settle(uploader.put(uploadToken('empty.bin'), 'empty.bin', Buffer.alloc(0), null))
      expect(empty).toEqual({ status: 200, body: { hash: 'Fto5o-5ea0sNMlW_75VgGJCv2AcJ', key: 'empty.bin' } })
      await expectObject('empty.bin', Buffer.alloc(0), qetag(Buffer.alloc(0)))
    })

    it('gets 406 when the crc32 it sends does not match', async () => {
      const extra = new qiniu.form_up.PutExtra()
      extra.crc32 = '12345'
      const answer = await settle(new qiniu.form_up.FormUploader(staticRegionConfig()).put(uploadToken('crc.bin'), 'crc.bin', randomBytes(10), extra))
      expect(answer).toMatchObject({ status: 406, body: { error: 'crc32 not match' } })
    })
  })

  describe('resumable upload V1 (mkblk + mkfile)', () => {
    it('uploads 9 MiB + 3 in whole-block mkblk calls with custom vars and metadata', async () => {
      const data = randomBytes(9 * MiB + 3)
      const extra = resumeExtra('v1', { params: { 'x:owner': 'ann' }, metadata: { 'x-qn-meta-tag': 'v1' } })
      const up = new qiniu.resume_up.ResumeUploader(queryConfig())
      const answer = await settle(up.putFile(uploadToken('v1.bin'), 'v1.bin', writeFile('v1.bin', data), extra))
      expect(answer).toEqual({ status: 200, body: { hash: qetag(data), key: 'v1.bin' } })
      await expectObject('v1.bin', data, qetag(data))
      expect(await kodo.server.objectInfo('v1.bin')).toMatchObject({ fname: 'v1.bin', customVars: { 'x:owner': 'ann' }, metadata: { 'x-qn-meta-tag': 'v1' } })
      expect(apis()).toEqual(['mkblk', 'mkblk', 'mkblk', 'mkfile'])
    })

    it('uploads without a key: the key is the hash', async () => {
      const data = randomBytes(4 * MiB + 1)
      const up = new qiniu.resume_up.ResumeUploader(staticRegionConfig())
      const answer = await settle(up.putFileWithoutKey(uploadToken(), writeFile('nokey.bin', data), resumeExtra('v1')))
      expect(answer).toEqual({ status: 200, body: { hash: qetag(data), key: qetag(data) } })
      await expectObject(qetag(data), data, qetag(data))
    })

    // Real-service behaviour assumed: mkfile/0 with an empty body stores an empty object (the SDK sends it; unverified, §5.3).
    it('completes an empty file with mkfile/0 and no ctxs', async () => {
      const up = new qiniu.resume_up.ResumeUploader(staticRegionConfig())
      const answer = await settle(up.putFile(uploadToken('empty-v1.bin'), 'empty-v1.bin', writeFile('empty-v1.bin', Buffer.alloc(0)), resumeExtra('v1')))
      expect(answer).toEqual({ status: 200, body: { hash: 'Fto5o-5ea0sNMlW_75VgGJCv2AcJ', key: 'empty-v1.bin' } })
      expect(apis()).toEqual(['mkfile'])
    })
  })

  describe('resumable upload V2 (initParts, uploadPart with Content-MD5, completeParts)', () => {
    for (const [size, partSize] of [
      [13 * MiB + 5, 4 * MiB], // 4 MiB parts: the V1 hash
      [9 * MiB + 1, 2 * MiB], // smaller parts: the part-layout hash
      [13 * MiB, 6 * MiB], // larger parts: the part-layout hash
      [3 * MiB, 1 * MiB], // the smallest part size, every part full
      [1000, 4 * MiB], // one short part
    ]) {
      it(`uploads ${size} bytes in ${partSize / MiB} MiB parts with the part-layout hash`, async () => {
        const data = randomBytes(size)
        const key = `v2-${size}-${partSize}.bin`
        const up = new qiniu.resume_up.ResumeUploader(queryConfig())
        const answer = await settle(up.putFile(uploadToken(key), key, writeFile(key, data), resumeExtra('v2', { partSize, params: { 'x:n': String(size) } })))
        const hash = partLayoutQetag(data, partSize)
        expect(answer).toEqual({ status: 200, body: { hash, key } })
        await expectObject(key, data, hash)
        expect(await kodo.server.objectInfo(key)).toMatchObject({ fname: key, customVars: { 'x:n': String(size) }, ignoredFields: [] })
        const parts = kodo.server.requestLog().filter((entry) => entry.api === 'part')
        expect(parts).toHaveLength(Math.ceil(size / partSize))
        expect(parts.every((entry) => /^[0-9a-f]{32}$/.test(entry.headers['content-md5'] ?? ''))).toBe(true)
      })
    }

    it('is refused with 400 for an empty file: it completes with parts: [] (the real service rejects that too)', async () => {
      const up = new qiniu.resume_up.ResumeUploader(staticRegionConfig())
      const answer = await settle(up.putFile(uploadToken('empty-v2.bin'), 'empty-v2.bin', writeFile('empty-v2.bin', Buffer.alloc(0)), resumeExtra('v2')))
      expect(answer).toEqual({ status: 400, body: { error: "parts param can't be empty", code: 400 } })
      expect(apis()).toEqual(['init', 'complete'])
      expect(await kodo.server.objectInfo('empty-v2.bin')).toBeNull()
    })

    it('resumes from its record file after a failed part: the uploadId and the parts already sent are reused', async () => {
      const data = randomBytes(10 * MiB)
      const path = writeFile('resume.bin', data)
      const recorder = qiniu.resume_up.createResumeRecorderSync(mkdtempSync(join(workDir, 'records-')))
      const extra = () => Object.assign(resumeExtra('v2', { partSize: 2 * MiB }), { resumeRecorder: recorder })
      kodo.server.addFaults({ api: 'part', nth: 3, action: 'status', status: 400, error: 'injected' })
      const up = new qiniu.resume_up.ResumeUploader(staticRegionConfig())
      expect((await settle(up.putFile(uploadToken('resume.bin'), 'resume.bin', path, extra()))).status).toBe(400)
      kodo.server.clearLog()
      const answer = await settle(up.putFile(uploadToken('resume.bin'), 'resume.bin', path, extra()))
      expect(answer).toEqual({ status: 200, body: { hash: partLayoutQetag(data, 2 * MiB), key: 'resume.bin' } })
      await expectObject('resume.bin', data, partLayoutQetag(data, 2 * MiB))
      const sent = kodo.server.requestLog().filter((entry) => entry.api === 'part').map((entry) => entry.partNumber)
      expect(apis()).not.toContain('init')
      expect(sent).toEqual([3, 4, 5])
    })
  })
})
