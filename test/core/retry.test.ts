import { describe, expect, it } from 'vitest'
import { decideForStatus, isThrottling } from '../../src/http/retry.js'
import { backoffDelay } from '../../src/utils/delay.js'

describe('the retry decision table', () => {
  it.each([
    [406, 'dont-retry'], // every 4xx but 429 is an answer (the README's table)
    [429, 'throttled'],
    [509, 'throttled'],
    [573, 'throttled'],
    [400, 'dont-retry'],
    [401, 'dont-retry'], // the client renews the token itself; the table does not retry
    [403, 'dont-retry'],
    [404, 'dont-retry'],
    [413, 'dont-retry'],
    [499, 'dont-retry'],
    [500, 'try-next-server'],
    [502, 'try-next-server'],
    [503, 'try-next-server'],
    [504, 'try-next-server'],
    [599, 'try-next-server'],
    [501, 'dont-retry'],
    [579, 'dont-retry'], // stored, but the callback failed: sending again would store it twice
    [608, 'dont-retry'],
    [612, 'dont-retry'],
    [614, 'dont-retry'],
    [631, 'dont-retry'],
    [701, 'dont-retry'],
    [200, 'dont-retry'],
    [302, 'dont-retry'],
  ])('status %i: %s', (status, decision) => {
    expect(decideForStatus(status)).toBe(decision)
  })

  it('slows the lanes down for 429, 509 and 573 only (503 means this host is unavailable: next host)', () => {
    const throttling = [200, 400, 406, 429, 500, 502, 503, 504, 509, 573, 579, 612, 701].filter(isThrottling)
    expect(throttling).toEqual([429, 509, 573])
    expect(isThrottling(undefined)).toBe(false)
  })
})

describe('backoff', () => {
  it('doubles with each attempt around the base, jittered by a factor in [0.5, 1.5)', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, 100, () => 0.5))).toEqual([100, 200, 400, 800])
    expect(backoffDelay(2, 100, () => 0)).toBe(200)
    expect(backoffDelay(2, 100, () => 0.999)).toBeCloseTo(599.6)
  })

  it('never waits more than five minutes', () => {
    expect(backoffDelay(30, 100, () => 0.999)).toBe(300_000)
    expect(backoffDelay(1_000, 100, () => 0.5)).toBe(300_000)
  })
})
