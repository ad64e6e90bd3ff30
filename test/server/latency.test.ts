import { describe, expect, it } from 'vitest'
import { call, useKodo } from './helpers.js'

const kodo = useKodo()
const setLatency = (ms: unknown) => call(kodo.server, '/_admin/latency', { method: 'POST', body: JSON.stringify({ ms }) })

describe('latency (admin API)', () => {
  it('holds back every request, preflights included, but not admin requests; 0 turns it off', async () => {
    expect((await setLatency(200)).status).toBe(200)
    const page = { Origin: 'http://page.test' }
    // A lower bound only: a loaded machine can make it slower, never faster.
    for (const init of [{ method: 'OPTIONS', headers: { ...page, 'Access-Control-Request-Method': 'PUT' } }, { method: 'GET', headers: page }]) {
      const started = performance.now()
      await fetch(`${kodo.server.url}/buckets/dev-bucket/objects/x/uploads`, init)
      expect(performance.now() - started, init.method).toBeGreaterThanOrEqual(195)
    }
    expect(kodo.server.requestLog().map((entry) => entry.method)).toEqual(['OPTIONS', 'GET'])
    expect((await setLatency(0)).status).toBe(200)
  })

  it('refuses a delay that is not a number ≥ 0', async () => {
    for (const ms of [-1, 'slow', { ms: 5 }]) expect((await setLatency(ms)).status, String(ms)).toBe(400)
  })
})
