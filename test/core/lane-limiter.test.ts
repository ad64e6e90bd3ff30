import { describe, expect, it } from 'vitest'
import { isUploadError } from '../../src/index.js'
import { LaneLimiter } from '../../src/schedulers/lane-limiter.js'

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
})
