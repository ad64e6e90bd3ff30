import { describe, expect, it } from 'vitest'
import { AdaptiveConcurrencyProvider, AdaptiveDataPartitionProvider, ClimbingLaneTuner, UploadError, planParts, type DataPartitionProvider, type LaneTuner } from '../../src/index.js'
import { fitLine } from '../../src/providers/adaptive-partition-provider.js'
import { FakeTransport, fakeKodo } from './fakes.js'
import { MiB, fakeManager, sentPartSizes, uploadV2 } from './uploads.js'

/** A lane's share of a link: each part costs `fixedMs` (round trips, preflight) plus its bytes at `bytesPerMs`. */
interface Link {
  fixedMs: number
  bytesPerMs: number
}

/** Sends `parts` parts over `link` with the provider's sizes, tells it each time, and returns the sizes it chose. */
function run(provider: DataPartitionProvider, link: Link, parts: number): number[] {
  const sizes: number[] = []
  for (let i = 0; i < parts; i++) {
    const size = provider.partSize()
    sizes.push(size)
    provider.feedback({ partSize: size, elapsed: link.fixedMs + size / link.bytesPerMs })
  }
  return sizes
}

const throttled = () => new UploadError('status', 'Slow down', { statusCode: 573 })

describe('AdaptiveDataPartitionProvider', () => {
  it('grows parts while latency is the limit, at most doubling per step, up to max', () => {
    // 300 ms of round trips per part at 12.5 MB/s per lane: a 4 MiB part spends 47 % of its time waiting.
    const sizes = run(new AdaptiveDataPartitionProvider(), { fixedMs: 300, bytesPerMs: 12_500 }, 20)
    expect(sizes[0]).toBe(4 * MiB)
    expect(sizes.at(-1)).toBe(16 * MiB)
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]! / sizes[i - 1]!).toBeLessThanOrEqual(2)
    expect(Math.max(...sizes)).toBe(16 * MiB)
  })

  it('settles where the fixed cost is a tenth of a part', () => {
    // 50 ms per part at 25 MB/s: a part of 9 × 50 ms × 25 000 B/ms = 10.7 MiB spends 10 % waiting.
    const sizes = run(new AdaptiveDataPartitionProvider(), { fixedMs: 50, bytesPerMs: 25_000 }, 30)
    expect(sizes.slice(-5)).toEqual(Array(5).fill(10 * MiB))
  })

  it('keeps the initial size while bandwidth is the limit (after one look at the next size up)', () => {
    const sizes = run(new AdaptiveDataPartitionProvider(), { fixedMs: 2, bytesPerMs: 100_000 }, 30)
    expect(sizes.filter((size) => size !== 4 * MiB).every((size) => size === 8 * MiB)).toBe(true)
    expect(sizes.slice(-3)).toEqual(Array(3).fill(4 * MiB))
  })

  it('halves the size on a failed part, down to min, and stays there while the link is fast', () => {
    const provider = new AdaptiveDataPartitionProvider()
    for (const expected of [2, 1, 1]) {
      provider.feedback({ partSize: provider.partSize(), elapsed: 1000, error: throttled() })
      expect(provider.partSize()).toBe(expected * MiB)
    }
    const sizes = run(provider, { fixedMs: 2, bytesPerMs: 100_000 }, 30)
    expect(sizes.slice(-3)).toEqual(Array(3).fill(MiB))
  })

  it('learns nothing from a part stopped by a pause', () => {
    const provider = new AdaptiveDataPartitionProvider()
    provider.feedback({ partSize: 4 * MiB, elapsed: 10, error: new UploadError('aborted', 'paused') })
    expect(provider.partSize()).toBe(4 * MiB)
  })

  it('refuses sizes that are not whole MiB, or out of order', () => {
    expect(() => new AdaptiveDataPartitionProvider({ max: 3 * MiB + 1 })).toThrow(expect.objectContaining({ kind: 'invalid-input' }))
    expect(() => new AdaptiveDataPartitionProvider({ initial: 32 * MiB })).toThrow(expect.objectContaining({ kind: 'invalid-input' }))
    expect(() => new AdaptiveDataPartitionProvider({ min: 512 * 1024 })).toThrow(expect.objectContaining({ kind: 'invalid-input' }))
    expect(() => new AdaptiveConcurrencyProvider({ initial: 0 })).toThrow(expect.objectContaining({ kind: 'invalid-input' }))
  })

  it('fits the fixed cost and the time per byte from parts of different sizes, and nothing from one size', () => {
    expect(fitLine([{ size: MiB, ms: 110 }, { size: 2 * MiB, ms: 210 }])).toEqual({ fixedMs: 10, msPerByte: 100 / MiB })
    expect(fitLine([{ size: MiB, ms: 110 }, { size: MiB, ms: 130 }])).toBeUndefined()
  })

  it('V2 parts of changing sizes tile the source; V1 blocks stay 4 MiB whatever it answers', async () => {
    const transport = new FakeTransport(fakeKodo())
    const growing = new AdaptiveDataPartitionProvider({ initial: MiB, min: MiB })
    await uploadV2(fakeManager(transport, { upEndpoints: ['http://up.test'] }), 40 * MiB + 3, { partitioner: growing })
    const sent = sentPartSizes(transport)
    expect(sent.reduce((sum, size) => sum + size, 0)).toBe(40 * MiB + 3)
    expect(sent.slice(0, -1).every((size) => size % MiB === 0)).toBe(true)
    expect(planParts(40 * MiB, { version: 'v1', partSize: 16 * MiB }).partSize).toBe(4 * MiB)
  })
})

/**
 * Answers `count` parts of 4 MiB to `tuner` as a link whose rate at `n` lanes is `rateAt(n)` bytes per ms
 * would (each lane's part takes n × size / rate), and returns the lanes it asked for after each answer.
 */
function climb(tuner: LaneTuner, rateAt: (lanes: number) => number, count: number, first = 4): number[] {
  const size = 4 * MiB
  const asked: number[] = []
  let lanes = first
  let at = 0
  for (let i = 0; i < count; i++) {
    at += size / rateAt(lanes)
    lanes = tuner.answered({ size, at })
    asked.push(lanes)
  }
  return asked
}

/** Latency-bound: each lane adds 10 MB/s until the link is full at `full` MB/s. */
const latencyBound = (full: number) => (lanes: number) => Math.min(lanes * 10_000, full * 1000)

describe('ClimbingLaneTuner', () => {
  it('climbs by half the lanes while each level raises the rate by more than 10 %, then goes back to the best', () => {
    const asked = climb(new ClimbingLaneTuner(4, 16), latencyBound(65), 80)
    // 4 lanes for 2 × 4 answers, 6 for 12, 9 for 18: 9 is not 10 % faster than 6 (the link is full at 6.5).
    expect(asked.slice(0, 8)).toEqual([4, 4, 4, 4, 4, 4, 4, 6])
    expect(asked[19]).toBe(9)
    expect(asked.slice(38)).toEqual(Array(42).fill(6))
  })

  it('never goes above max, and tells where it settled', () => {
    const settled: number[] = []
    const asked = climb(new ClimbingLaneTuner(4, 8, (lanes) => settled.push(lanes)), latencyBound(1000), 60)
    expect(Math.max(...asked)).toBe(8)
    expect(asked.at(-1)).toBe(8)
    expect(settled).toEqual([8])
  })

  it('stays at its lanes when the link (or the CPU) is already full', () => {
    const asked = climb(new ClimbingLaneTuner(4, 8), () => 50_000, 40)
    expect(asked.slice(20)).toEqual(Array(20).fill(4))
  })
})

describe('AdaptiveConcurrencyProvider', () => {
  it('starts the next upload where the last one settled (at most 6 lanes by default)', () => {
    const provider = new AdaptiveConcurrencyProvider()
    expect(provider.concurrency()).toBe(4)
    climb(provider.tuner(4), latencyBound(1000), 60)
    expect(provider.concurrency()).toBe(6)
  })

  it('halves on throttling, takes one away on a failure, ignores pauses and successes', () => {
    const provider = new AdaptiveConcurrencyProvider({ initial: 8, max: 8 })
    provider.feedback({ concurrency: 8, objectSize: 0, elapsed: 10, error: throttled() })
    expect(provider.concurrency()).toBe(4)
    provider.feedback({ concurrency: 4, objectSize: 0, elapsed: 10, error: new UploadError('timeout', 'no answer') })
    expect(provider.concurrency()).toBe(3)
    provider.feedback({ concurrency: 3, objectSize: 0, elapsed: 10, error: new UploadError('aborted', 'paused') })
    provider.feedback({ concurrency: 3, objectSize: 256 * MiB, elapsed: 10 })
    expect(provider.concurrency()).toBe(3)
  })

  it('does not take the level of a tuner that ran while a failure came', () => {
    const provider = new AdaptiveConcurrencyProvider()
    const tuner = provider.tuner(4)
    provider.feedback({ concurrency: 4, objectSize: 0, elapsed: 10, error: throttled() })
    climb(tuner, latencyBound(1000), 60)
    expect(provider.concurrency()).toBe(2)
  })
})
