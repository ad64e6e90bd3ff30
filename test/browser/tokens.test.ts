import { afterEach, describe, expect, it } from 'vitest'
import { AlwaysMultiParts, AlwaysSinglePart, UploadManager, UploadQueue, credentialTokenProvider, findRecord, parseUploadToken, signUploadToken } from '../../src/index.js'
import { addFaults, clearFaults, clearLog, kodo, localManager, md5Of, randomBlob, rejection, requestLog, storedObject, token, uniqueKey } from './helpers.js'

const MiB = 1 << 20

describe('upload tokens', () => {
  afterEach(async () => {
    await clearFaults()
    await clearLog()
  })

  it('signs tokens like the official documentation example (HMAC-SHA1, URL-safe Base64)', async () => {
    const policy = {
      scope: 'my-bucket:sunflower.jpg',
      deadline: 1451491200,
      returnBody: '{"name":$(fname),"size":$(fsize),"w":$(imageInfo.width),"h":$(imageInfo.height),"hash":$(etag)}',
    }
    const signed = await signUploadToken('MY_ACCESS_KEY', 'MY_SECRET_KEY', policy)
    expect(signed).toBe(
      'MY_ACCESS_KEY:wQ4ofysef1R7IKnrziqtomqyDvI=:eyJzY29wZSI6Im15LWJ1Y2tldDpzdW5mbG93ZXIuanBnIiwiZGVhZGxpbmUiOjE0NTE0OTEyMDAsInJldHVybkJvZHkiOiJ7XCJuYW1lXCI6JChmbmFtZSksXCJzaXplXCI6JChmc2l6ZSksXCJ3XCI6JChpbWFnZUluZm8ud2lkdGgpLFwiaFwiOiQoaW1hZ2VJbmZvLmhlaWdodCksXCJoYXNoXCI6JChldGFnKX0ifQ==',
    )
  })

  it('reads access key and bucket from a fixed token', async () => {
    const parsed = parseUploadToken(await token({ key: 'a/b.txt' }))
    expect(parsed.accessKey).toBe(kodo.accessKey)
    expect(parsed.bucket).toBe(kodo.bucket)
  })

  it('a token scoped to one key: an upload without objectName goes to that key; another key fails before any request', async () => {
    for (const [path, size] of [['form', 1000], ['V2', 5 * MiB]] as const) {
      const key = uniqueKey(`scoped-${path}`)
      const manager = await localManager({ uploadToken: await token({ key }) })
      const blob = randomBlob(size)
      expect(await manager.autoUploader({ partSize: MiB }).upload(blob)).toMatchObject({ key })
      expect((await storedObject(key)).md5).toBe(await md5Of(blob))
      await clearLog()
      const error = await rejection(manager.autoUploader().upload(blob, { objectName: `${key}-other` }))
      expect(error.kind).toBe('invalid-input')
      expect(error.message).toMatch(/only allows the key/)
      expect(await requestLog()).toEqual([])
    }
    const prefix = uniqueKey('prefixed')
    const prefixed = await localManager({ uploadToken: await token({ key: `${prefix}/`, isPrefixalScope: 1 }) })
    await prefixed.autoUploader().upload(randomBlob(1000), { objectName: `${prefix}/a.txt` })
    expect(await rejection(prefixed.autoUploader().upload(randomBlob(1000), { objectName: 'elsewhere.txt' }))).toMatchObject({ kind: 'invalid-input' })
  })

  it("a file outside the token's fsizeLimit or fsizeMin fails before any request, on every path (Kodo checks them once the whole file arrived)", async () => {
    const limited = await token({ fsizeLimit: 2 * MiB, fsizeMin: 1000 })
    const paths = [
      ['form', { policy: new AlwaysSinglePart() }],
      ['V1', { policy: new AlwaysMultiParts(), multiPartsVersion: 'v1' }],
      ['V2', { policy: new AlwaysMultiParts(), multiPartsVersion: 'v2', partSize: MiB }],
    ] as const
    for (const [path, options] of paths) {
      for (const uploadToken of [limited, async () => limited]) {
        const uploader = (await localManager({ uploadToken, bucket: kodo.bucket })).autoUploader(options)
        for (const [size, limit] of [[3 * MiB, /at most 2097152 \(its fsizeLimit\)/], [999, /at least 1000 \(its fsizeMin\)/]] as const) {
          const error = await rejection(uploader.upload(randomBlob(size), { objectName: uniqueKey(`limited-${path}`) }))
          expect(error, `${path}, ${size} bytes`).toMatchObject({ kind: 'invalid-input', message: expect.stringMatching(limit) })
        }
        expect(await requestLog(), path).toEqual([])
        const key = uniqueKey(`within-${path}`)
        await uploader.upload(randomBlob(MiB + 1), { objectName: key })
        await clearLog()
      }
    }
  })

  it('a token scoped to one key: a queue item and findRecord() know the upload by that key', async () => {
    const key = uniqueKey('scoped-queue')
    const manager = await localManager({ uploadToken: await token({ key }) })
    const file = new File([randomBlob(6 * MiB)], 'scoped.bin', { lastModified: 1 })
    const pause = new AbortController()
    const uploader = manager.autoUploader({ partSize: MiB, concurrency: 1 }).onPartUploaded(() => pause.abort())
    expect(await rejection(uploader.upload(file, { signal: pause.signal }))).toMatchObject({ kind: 'aborted' })
    expect(await findRecord(manager, file)).toMatchObject({ record: { objectName: key } })
    const queue = new UploadQueue(manager)
    const item = await queue.add(file)
    expect(item.objectName).toBe(key)
    await queue.idle()
    expect(item.state).toBe('done')
    expect((await storedObject(key)).md5).toBe(await md5Of(file))
  })

  it('asks the provider again on a 401 mid-upload and completes without a new initParts', async () => {
    await clearLog()
    await addFaults({ api: 'part', nth: 2, action: 'status', status: 401, error: 'expired token' })
    let asked = 0
    const manager = new UploadManager({
      bucket: kodo.bucket,
      upEndpoints: [kodo.url],
      uploadToken: async ({ objectName }) => {
        asked++
        // A real token service signs a new deadline each time; endUser makes this one differ too.
        return token({ ...(objectName ? { key: objectName } : {}), endUser: `call-${asked}` })
      },
    })
    const blob = randomBlob(12 * MiB)
    const key = uniqueKey('renew')
    await manager.autoUploader({ concurrency: 1 }).upload(blob, { objectName: key })
    expect(asked).toBe(2)
    expect((await requestLog()).filter((e) => e.api === 'init')).toHaveLength(1)
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  })

  it('says so when the provider hands back the same expired token', async () => {
    await addFaults({ api: 'form', nth: 1, times: 5, action: 'status', status: 401, error: 'expired token' })
    const fixed = await token()
    const manager = new UploadManager({ bucket: kodo.bucket, upEndpoints: [kodo.url], uploadToken: async () => fixed })
    const error = await rejection(manager.autoUploader().upload(randomBlob(10), { objectName: uniqueKey('same') }))
    expect(error.statusCode).toBe(401)
    expect(error.message).toMatch(/token provider returned the same token/)
  })

  it('signs tokens locally with a credential provider (trusted environments only)', async () => {
    const manager = new UploadManager({
      bucket: kodo.bucket,
      upEndpoints: [kodo.url],
      uploadToken: credentialTokenProvider({ accessKey: kodo.accessKey, secretKey: kodo.secretKey, bucket: kodo.bucket }),
    })
    const key = uniqueKey('signed')
    const blob = randomBlob(5 * MiB)
    await manager.autoUploader().upload(blob, { objectName: key })
    expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  })
})
