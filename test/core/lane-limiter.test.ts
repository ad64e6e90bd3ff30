import { describe, expect, it } from 'vitest'
import { AdaptiveConcurrencyProvider, FixedConcurrencyProvider, FixedDataPartitionProvider, isUploadError, type ConcurrencyProvider } from '../../src/index.js'
import { LaneLimiter } from '../../src/schedulers/lane-limiter.js'
import { FakeTransport, fakeKodo } from './fakes.js'
import { MiB, fakeManager, sentPartSizes, uploadV2 } from './uploads.js'

/** Whether `promise` has settled once pending callbacks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false
  promise.then(
    () => (done = true),
    () => (done = true),
  )
  await new Promise((resolve) => setImmediate(resolve))
  return done
}

describe('LaneLimiter', () => {
  const signal = new AbortController().signal

  it('lets `max` lanes in and holds the next one until a lane is released', async () => {
    const limiter = new LaneLimiter(2)
    await limiter.acquire(signal)
    await limiter.acquire(signal)
    const third = limiter.acquire(signal)
    expect(await settled(third)).toBe(false)
    limiter.release(true)
    expect(await settled(third)).toBe(true)
  })

  it('halves the limit on throttling, never below one', () => {
    const limiter = new LaneLimiter(8)
    expect([limiter.throttle(), limiter.throttle(), limiter.throttle(), limiter.throttle()]).toEqual([4, 2, 1, 1])
    expect(limiter.limit).toBe(1)
    expect(limiter.max).toBe(8)
  })

  it('holds lanes over a throttled limit', async () => {
    const limiter = new LaneLimiter(4)
    limiter.throttle()
    await limiter.acquire(signal)
    await limiter.acquire(signal)
    const third = limiter.acquire(signal)
    expect(await settled(third)).toBe(false)
    limiter.release(false)
    expect(await settled(third)).toBe(true)
  })

  it('raises the limit by one after each run of `limit` successes, back up to the maximum', async () => {
    const limiter = new LaneLimiter(4)
    limiter.throttle()
    limiter.throttle()
    expect(limiter.limit).toBe(1)
    const succeed = async (times: number) => {
      for (let i = 0; i < times; i++) {
        await limiter.acquire(signal)
        limiter.release(true)
      }
    }
    await succeed(1)
    expect(limiter.limit).toBe(2)
    await succeed(1)
    expect(limiter.limit).toBe(2)
    await succeed(1)
    expect(limiter.limit).toBe(3)
    await succeed(3)
    expect(limiter.limit).toBe(4)
    await succeed(10)
    expect(limiter.limit).toBe(4)
  })

  it('does not count failures towards raising the limit', async () => {
    const limiter = new LaneLimiter(2)
    limiter.throttle()
    for (let i = 0; i < 5; i++) {
      await limiter.acquire(signal)
      limiter.release(false)
    }
    expect(limiter.limit).toBe(1)
  })

  it('a waiting lane rejects with an `aborted` UploadError when its signal fires', async () => {
    const limiter = new LaneLimiter(1)
    await limiter.acquire(signal)
    const stop = new AbortController()
    const waiting = limiter.acquire(stop.signal)
    stop.abort(new Error('paused'))
    const error = await waiting.catch((caught: unknown) => caught)
    expect(isUploadError(error, 'aborted')).toBe(true)
  })

  it('an aborted signal does not get a free lane', async () => {
    const limiter = new LaneLimiter(1)
    await limiter.acquire(signal)
    await expect(limiter.acquire(AbortSignal.abort())).rejects.toMatchObject({ kind: 'aborted' })
  })

  it('a tuner moves the maximum: a raise lets waiting lanes in at once, a cut holds new ones, a throttled limit only comes down', async () => {
    const limiter = new LaneLimiter(1)
    await limiter.acquire(signal)
    const second = limiter.acquire(signal)
    expect(await settled(second)).toBe(false)
    limiter.resize(2)
    expect(await settled(second)).toBe(true)
    limiter.resize(1)
    limiter.release(true)
    const third = limiter.acquire(signal)
    expect(await settled(third)).toBe(false)
    limiter.release(true)
    expect(await settled(third)).toBe(true)
    const throttled = new LaneLimiter(8)
    throttled.throttle()
    throttled.resize(12)
    expect([throttled.limit, throttled.max]).toEqual([4, 12])
    throttled.resize(2)
    expect(throttled.limit).toBe(2)
  })
})

describe('the scheduler with a lane tuner', () => {
  /** Parts that each take `ms` whatever the lanes (latency is the limit), counting the most at once. */
  function latencyBoundParts(transport: FakeTransport, ms: number): { most: number } {
    const seen = { most: 0 }
    let now = 0
    transport.on(async (request) => {
      if (request.api !== 'uploadPart') return undefined
      seen.most = Math.max(seen.most, ++now)
      await new Promise((resolve) => setTimeout(resolve, ms))
      now--
      return undefined
    })
    return seen
  }

  /** A V2 upload of `size` bytes in 1 MiB parts over the fake server, with `concurrency`'s lanes. */
  const upload = (transport: FakeTransport, size: number, concurrency: ConcurrencyProvider, serial = false) =>
    uploadV2(fakeManager(transport, { upEndpoints: ['http://up.test'] }), size, { partitioner: new FixedDataPartitionProvider(MiB), concurrency, serial })

  it('runs more lanes as the tuner asks, and the next upload starts where it settled', async () => {
    const transport = new FakeTransport(fakeKodo())
    const parts = latencyBoundParts(transport, 20)
    // No connection limit here (browsers have one of 6 per HTTP/1.1 host, hence the default max): 4, 6, 8.
    const provider = new AdaptiveConcurrencyProvider({ max: 8 })
    await upload(transport, 60 * MiB, provider)
    expect(parts.most).toBe(8)
    expect(provider.concurrency()).toBe(8)
    expect(sentPartSizes(transport)).toEqual(Array(60).fill(MiB))
  })

  it('the serial scheduler sends one part at a time, whatever the provider would tune', async () => {
    const transport = new FakeTransport(fakeKodo())
    const parts = latencyBoundParts(transport, 5)
    await upload(transport, 20 * MiB, new AdaptiveConcurrencyProvider(), true)
    expect(parts.most).toBe(1)
  })

  it('keeps a number of lanes given as a number', async () => {
    const transport = new FakeTransport(fakeKodo())
    const parts = latencyBoundParts(transport, 5)
    await upload(transport, 40 * MiB, new FixedConcurrencyProvider(3))
    expect(parts.most).toBe(3)
  })
})
