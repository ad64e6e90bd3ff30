import { isUploadError } from '../errors.js'
import { DEFAULT_PART_SIZE, MIN_PART_SIZE, MiB } from '../protocol/part-limits.js'
import { checkBounds } from './bounds.js'
import type { DataPartitionFeedback, DataPartitionProvider } from './partition-provider.js'

export interface AdaptivePartSizeOptions {
  /** The first parts' size, and the floor while no part fails (default 4 MiB). */
  initial?: number
  /** The size failures may shrink parts to (default 1 MiB, V2's minimum). */
  min?: number
  /**
   * The largest part (default 16 MiB). It is the memory budget: a lane reads at most its part and the
   * one hashed ahead, so at most lanes × `max` × 2 bytes are being read at once.
   */
  max?: number
}

/** Parts of the last few answers are what the estimate looks at: the link may change during an upload. */
const SAMPLES = 8
/** Answers at a new size before the next decision: the first one of a size may still share the link with parts of the last. */
const SETTLE = 2
/** The share of a part's time its fixed cost may take before parts grow. */
const FIXED_SHARE = 0.1

/**
 * A part-size provider that learns from each part's time (V2: V1 blocks are always 4 MiB). A part's time is
 * a fixed cost per request (round trips, the preflight of its URL, the server's work) plus its bytes over the
 * lane's share of the link; fitted over the last parts of different sizes, the fixed cost tells whether
 * latency or bandwidth is the limit. While the fixed cost is more than a tenth of a part's time, parts
 * grow (at most doubling per step, up to `max`); when it is not, they go back to `initial`. Parts of one
 * size tell nothing: the provider then tries the next size up once. A failed part halves the size (down
 * to `min`), and the floor with it, so a bad link keeps small parts to send again.
 */
export class AdaptiveDataPartitionProvider implements DataPartitionProvider {
  readonly #min: number
  readonly #max: number
  #floor: number
  #size: number
  /** Answers since the size last changed. */
  #sinceChange = 0
  readonly #samples: Array<{ size: number; ms: number }> = []

  constructor({ min = MIN_PART_SIZE, initial = DEFAULT_PART_SIZE, max = 16 * MiB }: AdaptivePartSizeOptions = {}) {
    checkBounds({ min, initial, max }, (size) => Number.isSafeInteger(size) && size >= MIN_PART_SIZE && size % MiB === 0, 'whole MiB')
    this.#min = min
    this.#max = max
    this.#floor = this.#size = initial
  }

  partSize(): number {
    return this.#size
  }

  feedback({ partSize, elapsed, error }: DataPartitionFeedback): void {
    if (error !== undefined) {
      // A part stopped by a pause, or by another lane's failure, says nothing about the link.
      if (!isUploadError(error, 'aborted')) this.#shrink()
      return
    }
    if (!(partSize > 0 && elapsed > 0)) return
    this.#samples.push({ size: partSize, ms: elapsed })
    if (this.#samples.length > SAMPLES) this.#samples.shift()
    if (++this.#sinceChange < SETTLE) return
    this.#resize(this.#wanted())
  }

  /** The size at which the fixed cost is a tenth of a part's time; the next size up while that cannot be told. */
  #wanted(): number {
    const fit = fitLine(this.#samples)
    if (!fit) return this.#size * 2
    if (fit.msPerByte <= 0) return this.#floor
    const fixedMs = Math.max(0, fit.fixedMs)
    return (fixedMs / FIXED_SHARE - fixedMs) / fit.msPerByte
  }

  #resize(wanted: number): void {
    const size = Math.min(this.#max, Math.max(this.#floor, Math.min(wanted, this.#size * 2)))
    const rounded = Math.max(this.#floor, Math.floor(size / MiB) * MiB)
    if (rounded === this.#size) return
    this.#size = rounded
    this.#sinceChange = 0
  }

  #shrink(): void {
    this.#size = Math.max(this.#min, Math.floor(this.#size / 2 / MiB) * MiB)
    this.#floor = Math.min(this.#floor, this.#size)
    this.#sinceChange = 0
  }
}

/** Least squares of time over size: `undefined` while the sizes do not differ. */
export function fitLine(samples: ReadonlyArray<{ size: number; ms: number }>): { fixedMs: number; msPerByte: number } | undefined {
  const n = samples.length
  if (n < 2) return undefined
  const meanSize = samples.reduce((sum, s) => sum + s.size, 0) / n
  const meanMs = samples.reduce((sum, s) => sum + s.ms, 0) / n
  let covariance = 0
  let variance = 0
  for (const s of samples) {
    covariance += (s.size - meanSize) * (s.ms - meanMs)
    variance += (s.size - meanSize) ** 2
  }
  if (variance === 0) return undefined
  const msPerByte = covariance / variance
  return { fixedMs: meanMs - msPerByte * meanSize, msPerByte }
}
