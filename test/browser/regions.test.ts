import { afterEach, describe, expect, inject, it } from 'vitest'
import { MemoryResumableRecorder, UploadManager } from '../../src/index.js'
import { addFaults, admin, clearFaults, clearLog, encodeKey, kodo, md5Of, randomBlob, requestLog, token, uniqueKey } from './helpers.js'

const MiB = 1 << 20
const kodo2 = inject('kodo2')

async function setExtraRegions(extraRegions: string[][]): Promise<void> {
  await admin('/_admin/regions', { method: 'POST', body: JSON.stringify({ extraRegions }) })
}

describe('regions', () => {
  afterEach(async () => {
    await clearFaults()
    await clearLog()
    await setExtraRegions([])
  })

  it('queries the bucket region once and caches the answer', async () => {
    await clearLog()
    const manager = new UploadManager({ uploadToken: await token(), ucEndpoints: [kodo.url], useHttps: false, recorder: new MemoryResumableRecorder() })
    const uploader = manager.autoUploader()
    await uploader.upload(randomBlob(100), { objectName: uniqueKey('q1') })
    await uploader.upload(randomBlob(5 * MiB), { objectName: uniqueKey('q2') })
    const apis = (await requestLog()).map((e) => e.api)
    expect(apis.filter((api) => api === 'query')).toHaveLength(1)
    expect(apis).toContain('form')
    expect(apis).toContain('complete')
  })

  it('fails over to the next region when every host of the first answers 503', async () => {
    await setExtraRegions([[kodo2.host]])
    await addFaults({ api: 'init', nth: 1, times: 100, action: 'status', status: 503, error: 'service unavailable' })
    const manager = new UploadManager({
      uploadToken: await token(),
      ucEndpoints: [kodo.url],
      useHttps: false,
      recorder: new MemoryResumableRecorder(),
      retriesPerHost: 0,
    })
    const blob = randomBlob(6 * MiB)
    const key = uniqueKey('failover')
    const result = (await manager.autoUploader().upload(blob, { objectName: key })) as { key: string }
    expect(result.key).toBe(key)
    const stored = await (await admin(`/_admin/objects/${kodo2.bucket}/${encodeKey(key)}`, {}, kodo2)).json()
    expect(stored.md5).toBe(await md5Of(blob))
    expect((await requestLog()).filter((e) => e.api === 'init').every((e) => e.status === 503)).toBe(true)
  })
})
