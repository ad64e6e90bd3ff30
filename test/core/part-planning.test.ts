import { describe, expect, it } from 'vitest'
import {
  FixedDataPartitionProvider,
  LimitedDataPartitionProvider,
  MultiplyDataPartitionProvider,
  planParts,
  type DataPartitionFeedback,
  type DataPartitionProvider,
  type DataSource,
  type DataSourcePart,
  type PartSizer,
} from '../../src/index.js'
import { FakeTransport, fakeKodo } from './fakes.js'
import { MiB, fakeManager, sentPartSizes, uploadV2 } from './uploads.js'

const GiB = 1024 * MiB
const UP = 'http://up.test'

/** A provider that answers `size` and remembers the feedback it got. */
function fixedSize(size: number): DataPartitionProvider & { feedback: (feedback: DataPartitionFeedback) => void; got: DataPartitionFeedback[] } {
  const got: DataPartitionFeedback[] = []
  return { got, partSize: () => size, feedback: (feedback) => got.push(feedback) }
}

/**
 * A source of `total` bytes that only plans: it records the sizes the uploader asks for and hands out
 * `parts` tiny parts, so a layout of a 20 GB file can be checked without 20 GB.
 */
class PlanningSource implements DataSource {
  readonly planned: number[] = []
  #offset = 0

  constructor(
    readonly total: number,
    readonly parts: number,
  ) {}

  async slice(sizer: PartSizer): Promise<DataSourcePart | null> {
    if (this.planned.length === this.parts) return null
    const partNumber = this.planned.length + 1
    const size = sizer(this.#offset, partNumber)
    this.planned.push(size)
    const part = { partNumber, offset: this.#offset, size, blob: new Blob(['x']) }
    this.#offset += size
    return part
  }

  async reset(): Promise<void> {
    this.planned.length = 0
    this.#offset = 0
  }

  async sourceKey(): Promise<null> {
    return null
  }

  totalSize(): number {
    return this.total
  }

  describe() {
    return { size: this.total }
  }
}

describe('partition providers', () => {
  it('a fixed provider gives 4 MiB by default, or the size it was given', () => {
    expect(new FixedDataPartitionProvider().partSize()).toBe(4 * MiB)
    expect(new FixedDataPartitionProvider(5 * MiB + 3).partSize()).toBe(5 * MiB + 3)
  })

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('a fixed provider refuses a part size of %s', (size) => {
    expect(() => new FixedDataPartitionProvider(size)).toThrow(expect.objectContaining({ kind: 'invalid-input' }))
  })

  it('a limited provider clamps its base into [min, max] (default 1 MiB .. 1 GiB)', () => {
    expect(new LimitedDataPartitionProvider(fixedSize(100)).partSize()).toBe(MiB)
    expect(new LimitedDataPartitionProvider(fixedSize(2 * GiB)).partSize()).toBe(GiB)
    expect(new LimitedDataPartitionProvider(fixedSize(3 * MiB)).partSize()).toBe(3 * MiB)
    expect(new LimitedDataPartitionProvider(fixedSize(3 * MiB), 4 * MiB, 8 * MiB).partSize()).toBe(4 * MiB)
  })

  it('a multiply provider rounds its base down to a multiple (default 1 MiB), never below one multiple', () => {
    expect(new MultiplyDataPartitionProvider(fixedSize(5 * MiB + 123)).partSize()).toBe(5 * MiB)
    expect(new MultiplyDataPartitionProvider(fixedSize(10)).partSize()).toBe(MiB)
    expect(new MultiplyDataPartitionProvider(fixedSize(10 * MiB), 4 * MiB).partSize()).toBe(8 * MiB)
  })

  it('wrapping providers pass the feedback on to their base', () => {
    const base = fixedSize(MiB)
    const feedback = { partSize: MiB, elapsed: 12 }
    new MultiplyDataPartitionProvider(new LimitedDataPartitionProvider(base)).feedback(feedback)
    expect(base.got).toEqual([feedback])
  })
})

describe('the part layout of a V2 upload', () => {
  const upload = (source: DataSource | number, partitioner: DataPartitionProvider) => {
    const transport = new FakeTransport(fakeKodo())
    return { transport, done: uploadV2(fakeManager(transport, { upEndpoints: [UP] }), source, { partitioner }) }
  }

  it('cuts the source into parts of the provider size, the last one shorter', async () => {
    const { transport, done } = upload(10 * MiB, new FixedDataPartitionProvider(4 * MiB))
    await done
    expect(sentPartSizes(transport)).toEqual([4 * MiB, 4 * MiB, 2 * MiB])
  })

  it('refuses a part size below 1 MiB with `invalid-input`, before any part is sent', async () => {
    const { transport, done } = upload(3 * MiB, fixedSize(256 * 1024))
    await expect(done).rejects.toMatchObject({ kind: 'invalid-input' })
    expect(sentPartSizes(transport)).toEqual([])
  })

  it('asks the provider before each part and tells it how each part went', async () => {
    let asked = 0
    const got: DataPartitionFeedback[] = []
    // Adaptive: one more MiB after every part that went up.
    const growing: DataPartitionProvider = {
      partSize: () => {
        asked++
        return (1 + got.length) * MiB
      },
      feedback: (feedback) => got.push(feedback),
    }
    const { transport, done } = upload(12 * MiB + 5, growing)
    await done
    const sent = sentPartSizes(transport)
    expect(sent.reduce((sum, size) => sum + size, 0)).toBe(12 * MiB + 5)
    expect(asked).toBeGreaterThanOrEqual(sent.length)
    expect(Math.max(...sent)).toBeGreaterThan(MiB)
    expect(got.map((feedback) => feedback.partSize).sort()).toEqual([...sent].sort())
    expect(got.every((feedback) => feedback.error === undefined)).toBe(true)
  })

  it('grows the parts when the source would need more than 10 000 of them', async () => {
    const source = new PlanningSource(20_000 * MiB, 3)
    const { done } = upload(source, new FixedDataPartitionProvider(MiB))
    // The source stops after 3 parts: the final check refuses to commit a short object.
    await expect(done).rejects.toMatchObject({ kind: 'integrity' })
    expect(source.planned).toEqual([2 * MiB, 2 * MiB, 2 * MiB])
  })

  it('refuses a source over 10 000 parts of 1 GiB with `invalid-input`, before any request', async () => {
    const source = new PlanningSource(10_000 * GiB + 1, 1)
    const { transport, done } = upload(source, new FixedDataPartitionProvider(GiB))
    await expect(done).rejects.toMatchObject({ kind: 'invalid-input' })
    expect(transport.sent('initParts')).toEqual([])
  })

  it('refuses an empty source with `invalid-input`: Kodo rejects a V2 complete without parts', async () => {
    const { transport, done } = upload(0, new FixedDataPartitionProvider())
    await expect(done).rejects.toMatchObject({ kind: 'invalid-input' })
    expect(transport.sent('initParts')).toEqual([])
  })
})

describe('planParts', () => {
  it('gives the layout the uploader cuts (see the V2 growth test above): V2 parts grow past 10 000, V1 parts are always 4 MiB', () => {
    expect(planParts(10 * MiB)).toEqual({ partSize: 4 * MiB, parts: 3 })
    expect(planParts(20_000 * MiB, { partSize: MiB })).toEqual({ partSize: 2 * MiB, parts: 10_000 })
    expect(planParts(10 * MiB, { version: 'v1', partSize: 8 * MiB })).toEqual({ partSize: 4 * MiB, parts: 3 })
  })

  it('refuses a part size V2 cannot use with `invalid-input`', () => {
    expect(() => planParts(10 * MiB, { partSize: 1000 })).toThrow(expect.objectContaining({ kind: 'invalid-input' }))
  })
})
