// LaneBudget alone: who gets a freed lane, and what an abort does while waiting.
import { describe, expect, it } from 'vitest'
import { LaneBudget, UploadError } from '../../src/index.js'

const never = new AbortController().signal

describe('LaneBudget', () => {
  it('gives a freed lane to the waiting upload that holds the fewest, the first to ask among equals', async () => {
    const budget = new LaneBudget(3)
    const big = budget.gate()
    const small = budget.gate()
    const other = budget.gate()
    await Promise.all([big.acquire(never), big.acquire(never), big.acquire(never)])
    expect(budget.inUse).toBe(3)
    const order: string[] = []
    const waits = [
      big.acquire(never).then(() => order.push('big')),
      small.acquire(never).then(() => order.push('small')),
      other.acquire(never).then(() => order.push('other')),
    ]
    big.release()
    await Promise.resolve()
    big.release()
    await Promise.resolve()
    big.release()
    await Promise.all(waits)
    // The big upload asked first, but small and other held nothing.
    expect(order).toEqual(['small', 'other', 'big'])
    expect(budget.inUse).toBe(3)
  })

  it('rejects a waiting acquire with an aborted UploadError and keeps its lane for others', async () => {
    const budget = new LaneBudget(1)
    const first = budget.gate()
    const second = budget.gate()
    await first.acquire(never)
    const stop = new AbortController()
    const waiting = second.acquire(stop.signal)
    stop.abort()
    await expect(waiting).rejects.toSatisfy((error: unknown) => error instanceof UploadError && error.kind === 'aborted')
    first.release()
    expect(budget.inUse).toBe(0)
    await second.acquire(never)
    expect(budget.inUse).toBe(1)
  })

  it('caps the lanes one upload holds: a lower cap is met as its lanes come back, a higher one grants at once', async () => {
    const budget = new LaneBudget(8, 2)
    const gate = budget.gate()
    const granted: number[] = []
    const asks = [0, 1, 2, 3].map((n) => gate.acquire(never).then(() => granted.push(n)))
    expect(budget.inUse).toBe(2)
    // The cap is per upload: another one still gets its lane.
    await budget.gate().acquire(never)
    expect(budget.inUse).toBe(3)
    budget.perOwner = 3
    expect(budget.inUse).toBe(4)
    budget.perOwner = 1
    gate.release()
    gate.release()
    expect(budget.inUse).toBe(2)
    budget.perOwner = undefined
    await Promise.all(asks)
    expect(granted).toEqual([0, 1, 2, 3])
    expect(budget.inUse).toBe(3)
    expect(() => (budget.perOwner = 0)).toThrow(expect.objectContaining({ kind: 'invalid-input' }))
  })

  it('a lower total takes effect as lanes come back', async () => {
    const budget = new LaneBudget(2)
    const gate = budget.gate()
    await Promise.all([gate.acquire(never), gate.acquire(never)])
    budget.total = 1
    let granted = false
    const next = gate.acquire(never).then(() => (granted = true))
    gate.release()
    await Promise.resolve()
    expect(granted).toBe(false)
    gate.release()
    await next
    expect(budget.inUse).toBe(1)
  })
})
