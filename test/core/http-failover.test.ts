import { describe, expect, it } from 'vitest'
import { HttpClient, type KodoCall } from '../../src/http/client.js'
import type { Connectivity } from '../../src/http/connectivity.js'
import type { TokenSource } from '../../src/tokens/upload-token.js'
import { UploadError, type FetchLike } from '../../src/index.js'
import { FakeTransport, failing, json, online, unreachable } from './fakes.js'

const A = 'http://up-a.test'
const B = 'http://up-b.test'
const C = 'http://up-c.test'

const ok = () => json(200, { ok: true })

/** A client over `transport` with a 1 ms backoff, so retries cost nothing. */
function client(transport: FakeTransport, options: { retriesPerHost?: number; connectivity?: Connectivity } = {}): HttpClient {
  return new HttpClient({ fetch: transport.fetch, backoffBase: 1, stallTimeout: 0, connectivity: online, ...options })
}

function query(hosts: string[], extra: Partial<KodoCall> = {}): KodoCall {
  return { api: 'query', method: 'GET', endpoints: { preferred: hosts, alternative: [] }, path: '/v4/query', idempotent: true, ...extra }
}

const hostsOf = (transport: FakeTransport) => transport.requests.map((request) => request.host)

/** A network the test cuts: `goOffline()` tells the listeners, and waiting for the network brings it back. */
function testNetwork(offlineAtFirst = false) {
  const listeners = new Set<() => void>()
  const state = { offline: offlineAtFirst, waited: 0 }
  const connectivity: Connectivity = {
    isOffline: () => state.offline,
    waitUntilOnline: async () => {
      state.waited++
      state.offline = false
    },
    onOffline: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  const goOffline = () => {
    state.offline = true
    for (const listener of listeners) listener()
  }
  return {
    connectivity,
    goOffline,
    listeners,
    get waited() {
      return state.waited
    },
  }
}

describe('HttpClient host failover', () => {
  it('sends to the first host when it answers', async () => {
    const transport = new FakeTransport(ok)
    const response = await client(transport).call(query([A, B]))
    expect(response.status).toBe(200)
    expect(response.body).toEqual({ ok: true })
    expect(response.reqId).toBe('fake-200')
    expect(hostsOf(transport)).toEqual([A])
  })

  it('moves to the next host after a 5xx', async () => {
    const transport = new FakeTransport(ok, failing(503, { host: A }))
    await client(transport).call(query([A, B]))
    expect(hostsOf(transport)).toEqual([A, B])
  })

  it('moves to the next host when a host cannot be reached', async () => {
    const transport = new FakeTransport(ok, unreachable(A))
    await client(transport).call(query([A, B, C]))
    expect(hostsOf(transport)).toEqual([A, B])
  })

  it('does not retry 406: like every other 4xx it is an answer, not a failure to answer', async () => {
    const transport = new FakeTransport(ok, failing(406, { host: A }))
    await expect(client(transport, { retriesPerHost: 2 }).call(query([A, B]))).rejects.toMatchObject({ kind: 'status', statusCode: 406 })
    expect(hostsOf(transport)).toEqual([A])
  })

  it('retries the last host instead of failing at once, then fails with the last error', async () => {
    const transport = new FakeTransport(failing(502))
    const error = await client(transport, { retriesPerHost: 2 })
      .call(query([A, B]))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(UploadError)
    expect(error).toMatchObject({ kind: 'status', statusCode: 502, api: 'query', reqId: 'fake-502', retryDecision: 'try-next-server' })
    expect(hostsOf(transport)).toEqual([A, B, B, B])
  })

  it('does not retry a 4xx, on any host', async () => {
    const transport = new FakeTransport(ok, failing(403, { host: A }))
    await expect(client(transport).call(query([A, B]))).rejects.toMatchObject({ kind: 'status', statusCode: 403, retryDecision: 'dont-retry' })
    expect(hostsOf(transport)).toEqual([A])
  })

  it('tells `onRetry` about each attempt that will be retried, throttling included', async () => {
    let attempts = 0
    const transport = new FakeTransport(() => (++attempts <= 2 ? json(429, { error: 'slow down' }) : ok()))
    const retried: Array<number | undefined> = []
    await client(transport).call(query([A, B], { onRetry: (error) => retried.push(error.statusCode) }))
    expect(retried).toEqual([429, 429])
    expect(hostsOf(transport)).toEqual([A, A, A])
  })

  it('retries an idempotent call whose 2xx body is not JSON; fails a non-idempotent one at once', async () => {
    let answers = 0
    const garbled = () => (++answers === 1 ? new Response('<html>', { status: 200 }) : ok())
    const idempotent = new FakeTransport(garbled)
    await client(idempotent).call(query([A]))
    expect(hostsOf(idempotent)).toEqual([A, A])

    answers = 0
    const once = new FakeTransport(garbled)
    await expect(client(once).call(query([A], { idempotent: false }))).rejects.toMatchObject({ kind: 'parse', retryDecision: 'dont-retry' })
    expect(hostsOf(once)).toEqual([A])
  })

  it('fails with `no-region` when there is no host at all', async () => {
    const transport = new FakeTransport(ok)
    await expect(client(transport).call(query([]))).rejects.toMatchObject({ kind: 'no-region' })
    expect(transport.requests).toEqual([])
  })

  it('waits for the network while offline and tries the same host again', async () => {
    const network = testNetwork(true)
    let first = true
    const transport = new FakeTransport((request) => {
      if (!first) return ok()
      first = false
      return unreachable(request.host)(request)
    })
    await client(transport, { connectivity: network.connectivity }).call(query([A, B]))
    expect(network.waited).toBe(1)
    expect(hostsOf(transport)).toEqual([A, A])
  })

  it('fails at once while offline for a call that does not wait for the network (a cancel\'s abort)', async () => {
    const network = testNetwork(true)
    const transport = new FakeTransport((request) => unreachable(request.host)(request))
    const error = await client(transport, { connectivity: network.connectivity, retriesPerHost: 0 })
      .call(query([A, B], { waitForNetwork: false }))
      .catch((error: unknown) => error)
    expect(error).toMatchObject({ kind: 'network' })
    expect(network.waited).toBe(0)
    expect(hostsOf(transport)).toEqual([A, B])
  })

  it('stops a request in flight when the device goes offline and sends it again once online, not counted as an attempt', async () => {
    const network = testNetwork()
    const sent: string[] = []
    // The first request hangs (a connection that went quiet) until the offline event stops it.
    const fetch: FetchLike = (request) => {
      sent.push(new URL(request.url).origin)
      if (sent.length > 1) return Promise.resolve(ok())
      return new Promise((_resolve, reject) => {
        request.signal.addEventListener('abort', () => reject(request.signal.reason))
        network.goOffline()
      })
    }
    const counted: UploadError[] = []
    // No retry at all on this one host: the call succeeds only if the stopped request does not count as a failed attempt.
    const http = new HttpClient({ fetch, backoffBase: 1, stallTimeout: 0, retriesPerHost: 0, connectivity: network.connectivity })
    const response = await http.call(query([A], { onRetry: (error) => counted.push(error) }))
    expect(response.status).toBe(200)
    expect(sent).toEqual([A, A])
    expect(network.waited).toBe(1)
    expect(counted).toEqual([])
    expect(network.listeners.size).toBe(0)
  })

  it('lets a request that is not safe to send twice finish when the device goes offline', async () => {
    const network = testNetwork()
    let requests = 0
    const fetch: FetchLike = async () => {
      requests++
      network.goOffline()
      return ok()
    }
    const http = new HttpClient({ fetch, backoffBase: 1, stallTimeout: 0, connectivity: network.connectivity })
    const response = await http.call(query([A], { idempotent: false }))
    expect(response.status).toBe(200)
    expect(requests).toBe(1)
    expect(network.waited).toBe(0)
  })

  it('asks the token source again after a 401 and sends the new token', async () => {
    const tokens: TokenSource = { get: async () => 'old-token', refresh: async () => 'new-token' }
    const transport = new FakeTransport((request) =>
      request.headers.get('Authorization') === 'UpToken new-token' ? ok() : json(401, { error: 'expired token' }),
    )
    await client(transport).call(query([A, B], { auth: { tokens, ctx: { bucket: 'b' }, in: 'header' } }))
    expect(transport.requests.map((request) => request.headers.get('Authorization'))).toEqual(['UpToken old-token', 'UpToken new-token'])
  })

  it('stops at once when the caller aborts', async () => {
    const stop = new AbortController()
    const transport = new FakeTransport(() => {
      stop.abort(new Error('paused'))
      return json(503, { error: 'busy' })
    })
    await expect(client(transport).call(query([A, B], { signal: stop.signal }))).rejects.toMatchObject({ kind: 'aborted' })
    expect(hostsOf(transport)).toEqual([A])
  })
})
