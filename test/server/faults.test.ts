import { describe, expect, it } from 'vitest'
import { b64, bytes, call, expectBytes, MiB, uploadsPath, useKodo } from './helpers.js'

const kodo = useKodo()
const addFaults = (rules: unknown) => call(kodo.server, '/_admin/faults', { method: 'POST', body: JSON.stringify(rules) })

/** A live upload and a function that PUTs part n. */
async function upload() {
  const token = kodo.server.makeToken()
  const init = await call(kodo.server, uploadsPath('f'), { method: 'POST', token })
  const base = `${uploadsPath('f')}/${init.body.uploadId}`
  return (n: number, body = bytes(1000)) => call(kodo.server, `${base}/${n}`, { method: 'PUT', token, body })
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5))
}

const timed = async <T>(run: () => Promise<T>) => {
  const start = performance.now()
  const result = await run()
  return { result, ms: performance.now() - start }
}

describe('fault injection', () => {
  it('status: answers the nth matching request with a Kodo error, without running the handler', async () => {
    await addFaults([{ api: 'part', action: 'status', status: 503 }, { api: 'part', nth: 2, times: 2, action: 'status', status: 612 }])
    const put = await upload()
    const first = await put(1)
    expect(first).toMatchObject({ status: 503, body: { error: 'service unavailable', code: 503 } })
    expect(first.headers.get('x-reqid')).toBeTruthy()
    expect((await put(1)).body).toEqual({ error: 'no such uploadId', code: 612 })
    expect((await put(1)).status).toBe(612)
    expect((await put(1)).status).toBe(200)
    expect(kodo.server.listUploads()[0].parts).toHaveLength(1)
    const listed = (await call(kodo.server, '/_admin/faults')).body
    expect(listed.rules.map((r: any) => [r.seen, r.hits])).toEqual([[4, 1], [4, 2]])
    expect(kodo.server.requestLog().filter((e) => e.fault).map((e) => e.fault)).toEqual(['status', 'status', 'status'])
  })

  it('status: uses the given error text and the defaults for 401 and 701', async () => {
    await addFaults([{ api: 'init', action: 'status', status: 401 }, { api: 'mkblk', action: 'status', status: 701, error: 'ctx gone' }])
    expect((await call(kodo.server, uploadsPath('f'), { method: 'POST', token: kodo.server.makeToken() })).body.error).toBe('expired token')
    expect((await call(kodo.server, '/mkblk/3', { method: 'POST', token: kodo.server.makeToken(), body: 'abc' })).body.error).toBe('ctx gone')
  })

  it('reset: drops the connection before or during the body', async () => {
    const put = await upload()
    await addFaults([{ api: 'part', action: 'reset' }, { api: 'part', nth: 2, action: 'reset', when: 'during-body' }])
    await expect(put(1)).rejects.toThrow()
    await expect(put(1, bytes(2 * MiB))).rejects.toThrow()
    expect((await put(1)).status).toBe(200)
    const parts = kodo.server.requestLog().filter((e) => e.api === 'part')
    expect(parts.map((e) => e.status)).toEqual([0, 0, 200])
    expect(parts[1].bodyBytes).toBeGreaterThanOrEqual(MiB)
    expect(parts[1].bodyBytes).toBeLessThan(2 * MiB)
  })

  it('drop-answer: the request takes effect, its answer is cut after the headers', async () => {
    const put = await upload()
    await addFaults({ api: 'part', action: 'drop-answer' })
    await expect(put(1)).rejects.toThrow()
    expect(kodo.server.listUploads()[0].parts).toHaveLength(1)
    expect(kodo.server.requestLog().filter((e) => e.api === 'part').map((e) => [e.fault, e.status])).toEqual([['drop-answer', 0]])
  })

  it('stall: waits, then carries on', async () => {
    const put = await upload()
    await addFaults([{ api: 'part', action: 'stall', seconds: 0.2 }, { api: 'part', nth: 2, action: 'stall', seconds: 0.2, when: 'during-body' }])
    for (const body of [bytes(10), bytes(MiB)]) {
      const { result, ms } = await timed(() => put(1, body))
      expect(result.status).toBe(200)
      expect(ms).toBeGreaterThanOrEqual(190)
    }
  })

  it('after-handler: the request takes full effect, then its answer is dropped or held back', async () => {
    const put = await upload()
    await addFaults([{ api: 'part', action: 'reset', when: 'after-handler' }, { api: 'part', nth: 2, action: 'stall', seconds: 0.2, when: 'after-handler' }])
    await expect(put(1)).rejects.toThrow()
    expect(kodo.server.listUploads()[0].parts.map((p) => p.partNumber)).toEqual([1])
    const { result, ms } = await timed(() => put(2))
    expect(result.status).toBe(200)
    expect(ms).toBeGreaterThanOrEqual(190)
    const parts = kodo.server.requestLog().filter((e) => e.api === 'part')
    expect(parts.map((e) => [e.status, e.fault])).toEqual([[0, 'reset:after-handler'], [200, 'stall:after-handler']])
  })

  it('after-handler on the final call: the object is committed, the log says so, the client gets no answer', async () => {
    const token = kodo.server.makeToken()
    const data = bytes(1000)
    await addFaults({ api: 'mkfile', action: 'reset', when: 'after-handler' })
    const block = await call(kodo.server, `/mkblk/${data.length}`, { method: 'POST', token, body: data })
    await expect(call(kodo.server, `/mkfile/${data.length}/key/${b64('lost')}`, { method: 'POST', token, body: block.body.ctx })).rejects.toThrow()
    expectBytes(await kodo.server.objectBytes('lost'), data)
    const mkfile = kodo.server.requestLog().find((e) => e.api === 'mkfile')
    expect(mkfile).toMatchObject({ status: 0, committed: (await kodo.server.objectInfo('lost'))?.hash })
  })

  it('whenIdle: resolves once no handler runs, and at once when none does', async () => {
    const put = await upload()
    await addFaults({ api: 'part', action: 'stall', seconds: 0.3, when: 'after-handler' })
    const answered = put(1)
    await until(() => kodo.server.requestLog().some((e) => e.api === 'part'))
    expect(kodo.server.requestLog().find((e) => e.api === 'part')?.endedAt).toBeNull()
    await kodo.server.whenIdle()
    expect(kodo.server.requestLog().find((e) => e.api === 'part')).toMatchObject({ status: 200, fault: 'stall:after-handler' })
    expect((await answered).status).toBe(200)
    await kodo.server.whenIdle()
  })

  it('throttle: slows one request body down', async () => {
    const put = await upload()
    await addFaults({ api: 'part', action: 'throttle', bytesPerSec: 100_000 })
    const { result, ms } = await timed(() => put(1, bytes(30_000)))
    expect(result.status).toBe(200)
    expect(ms).toBeGreaterThanOrEqual(250)
  })

  it('omit-reqid, non-json and truncated-json', async () => {
    await addFaults([
      { api: 'init', action: 'omit-reqid' },
      { api: 'init', nth: 2, action: 'non-json', status: 502 },
      { api: 'init', nth: 3, action: 'truncated-json' },
    ])
    const init = () => call(kodo.server, uploadsPath('f'), { method: 'POST', token: kodo.server.makeToken() })
    const noReqid = await init()
    expect(noReqid.status).toBe(200)
    expect(noReqid.headers.get('x-reqid')).toBeNull()
    const html = await init()
    expect(html.status).toBe(502)
    expect(html.headers.get('content-type')).toBe('text/html')
    expect(html.body).toBeUndefined()
    const truncated = await init()
    expect(truncated.status).toBe(200)
    expect(truncated.body).toBeUndefined()
    expect(truncated.text).toMatch(/^\{"uploadId":/)
  })

  it('host: applies only to requests with that Host header; api any covers the query', async () => {
    await addFaults([{ action: 'status', status: 503, host: 'elsewhere:1' }, { action: 'status', status: 599, host: kodo.server.host }])
    expect((await call(kodo.server, '/v4/query?ak=a&bucket=dev-bucket')).status).toBe(599)
    expect((await call(kodo.server, '/v4/query?ak=a&bucket=dev-bucket')).status).toBe(200)
  })

  it('random: a seeded run replays exactly, and only upload APIs get faults', async () => {
    const run = async () => {
      await kodo.server.reset()
      await call(kodo.server, '/_admin/faults/random', { method: 'POST', body: JSON.stringify({ seed: 42, rate: 0.5, actions: ['status'] }) })
      const statuses = []
      for (let i = 0; i < 12; i++) statuses.push((await call(kodo.server, '/mkblk/1', { method: 'POST', token: kodo.server.makeToken(), body: 'a' })).status)
      expect((await call(kodo.server, '/v4/query?ak=a&bucket=dev-bucket')).status).toBe(200)
      return statuses
    }
    const first = await run()
    expect(first).toContain(200)
    expect(first.some((s) => [502, 503, 504, 599].includes(s))).toBe(true)
    expect(await run()).toEqual(first)
    expect((await call(kodo.server, '/_admin/faults')).body.random).toMatchObject({ seed: 42, hits: first.filter((s) => s !== 200).length })
  })

  it('validates rules and clears them', async () => {
    expect((await addFaults({ action: 'explode' })).status).toBe(400)
    expect((await addFaults({ action: 'throttle' })).status).toBe(400)
    expect((await addFaults({ action: 'status', api: 'nope' })).status).toBe(400)
    expect((await addFaults({ action: 'status', nth: 0 })).status).toBe(400)
    expect((await addFaults({ action: 'status', status: 503 })).status).toBe(200)
    expect((await call(kodo.server, '/_admin/faults', { method: 'DELETE' })).status).toBe(200)
    expect((await call(kodo.server, '/_admin/faults')).body).toEqual({ rules: [], random: null })
  })
})
