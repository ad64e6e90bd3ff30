import { describe, expect, it } from 'vitest'
import { FakeTransport, failing, fakeKodo, unreachable } from './fakes.js'
import type { UploadError } from '../../src/index.js'
import { MiB, UC, fakeManager, uploadV2 } from './uploads.js'

const A1 = 'http://up-a1.test'
const A2 = 'http://up-a2.test'
const B1 = 'http://up-b1.test'

/** The bucket's own region A with two hosts, and region B to fail over to. */
const kodo = () => fakeKodo([[A1, A2], [B1]])

const hostsOf = (transport: FakeTransport, api: string) => [...new Set(transport.sent(api).map((request) => request.host))]

describe('region failover in a V2 upload', () => {
  it('asks the region query once and uploads every part to the bucket own region', async () => {
    const transport = new FakeTransport(kodo())
    const result = await uploadV2(fakeManager(transport), 10 * MiB)
    expect(result).toEqual({ key: 'fake-key', hash: 'fake-hash' })
    expect(hostsOf(transport, 'query')).toEqual([UC])
    expect(transport.sent('query')).toHaveLength(1)
    expect(hostsOf(transport, 'uploadPart')).toEqual([A1])
    expect(transport.sent('uploadPart')).toHaveLength(3)
    expect(hostsOf(transport, 'completeParts')).toEqual([A1])
  })

  it('uses the next host of the region when the first one is unreachable', async () => {
    const transport = new FakeTransport(kodo(), unreachable(A1))
    await uploadV2(fakeManager(transport), 5 * MiB)
    // Each call starts again at the region's first host: the client does not remember a failed host.
    for (const api of ['initParts', 'uploadPart', 'completeParts']) expect(hostsOf(transport, api)).toEqual([A1, A2])
    expect(transport.sent('completeParts').map((request) => request.host)).toEqual([A1, A2])
  })

  it('starts over in the next region when every host of the first one fails', async () => {
    const transport = new FakeTransport(kodo(), failing(503, { host: A1 }), failing(503, { host: A2 }))
    await uploadV2(fakeManager(transport), 5 * MiB)
    expect(hostsOf(transport, 'initParts')).toEqual([A1, A2, B1])
    expect(hostsOf(transport, 'uploadPart')).toEqual([B1])
    expect(hostsOf(transport, 'completeParts')).toEqual([B1])
  })

  // Known bug, issue 11 item 14: the failed attempt's aborted signal is reused, so the next region's initParts
  // goes out already aborted. Turn `it.fails` into `it` when that fix lands (it.fails fails once the test passes).
  it('a region that fails mid-upload is left: the upload begins again in the next one with every part', async () => {
    const transport = new FakeTransport(kodo(), (request) => {
      const partNumber = request.path.split('/').pop()
      return request.api === 'uploadPart' && request.host !== B1 && partNumber === '2' ? failing(502)(request) : undefined
    })
    const startOvers: UploadError[] = []
    await uploadV2(fakeManager(transport), 10 * MiB, { onStartOver: (reason) => void startOvers.push(reason) })
    expect(startOvers).toMatchObject([{ statusCode: 502, api: 'uploadPart' }])
    expect(hostsOf(transport, 'initParts')).toEqual([A1, B1])
    const inB = transport.sent('uploadPart').filter((request) => request.host === B1)
    expect(inB.map((request) => request.path.split('/').pop()).sort()).toEqual(['1', '2', '3'])
    expect(hostsOf(transport, 'completeParts')).toEqual([B1])
  })

  it('does not fail over on an answer no other region would change (403)', async () => {
    const transport = new FakeTransport(kodo(), failing(403, { api: 'initParts' }))
    await expect(uploadV2(fakeManager(transport), 5 * MiB)).rejects.toMatchObject({ kind: 'status', statusCode: 403, api: 'initParts' })
    expect(hostsOf(transport, 'initParts')).toEqual([A1])
  })

  it('fails with the last error when every region fails', async () => {
    const transport = new FakeTransport(kodo(), failing(503, { api: 'initParts' }))
    await expect(uploadV2(fakeManager(transport, { retriesPerHost: 0 }), 5 * MiB)).rejects.toMatchObject({ kind: 'status', statusCode: 503 })
    expect(hostsOf(transport, 'initParts')).toEqual([A1, A2, B1])
  })

  it('fixed up endpoints skip the region query', async () => {
    const transport = new FakeTransport(kodo())
    await uploadV2(fakeManager(transport, { upEndpoints: [B1] }), 5 * MiB)
    expect(transport.sent('query')).toEqual([])
    expect(hostsOf(transport, 'completeParts')).toEqual([B1])
  })

  it('a region query that finds no up host fails with `no-region`', async () => {
    const transport = new FakeTransport(fakeKodo([]))
    await expect(uploadV2(fakeManager(transport), 5 * MiB)).rejects.toMatchObject({ kind: 'no-region' })
    expect(transport.sent('initParts')).toEqual([])
  })
})
