import { invalidInput } from '../errors.js'
import { positiveInteger } from '../utils/positive-integer.js'
import { DEFAULT_PART_SIZE, GiB, MiB } from '../protocol/part-limits.js'

/** What a part-size provider learns after each part went up (the seed's feedback). */
export interface DataPartitionFeedback {
  partSize: number
  /** Time the part request took, in ms. */
  elapsed: number
  error?: unknown
}

/** Chooses the part size; asked again before every part, so it can adapt. */
export interface DataPartitionProvider {
  partSize(): number
  feedback(feedback: DataPartitionFeedback): void
}

/** Always the same part size (default 4 MiB). */
export class FixedDataPartitionProvider implements DataPartitionProvider {
  readonly #size: number

  constructor(size = DEFAULT_PART_SIZE) {
    this.#size = positiveInteger(size, 'The part size')
  }

  partSize(): number {
    return this.#size
  }

  /** Fixed: nothing to learn. */
  feedback(_feedback: DataPartitionFeedback): void {}
}

/** Another provider's size, clamped into [min, max] (default 1 MiB .. 1 GiB). */
export class LimitedDataPartitionProvider implements DataPartitionProvider {
  readonly #base: DataPartitionProvider
  readonly #min: number
  readonly #max: number

  constructor(base: DataPartitionProvider, min = MiB, max = GiB) {
    this.#base = base
    this.#min = min
    this.#max = max
  }

  partSize(): number {
    return Math.min(Math.max(this.#base.partSize(), this.#min), this.#max)
  }

  feedback(feedback: DataPartitionFeedback): void {
    this.#base.feedback(feedback)
  }
}

/** Another provider's size rounded down to a multiple of `multiple` (default 1 MiB), never below it. */
export class MultiplyDataPartitionProvider implements DataPartitionProvider {
  readonly #base: DataPartitionProvider
  readonly #multiple: number

  constructor(base: DataPartitionProvider, multiple = MiB) {
    this.#base = base
    this.#multiple = multiple
  }

  partSize(): number {
    const size = Math.max(this.#base.partSize(), this.#multiple)
    return Math.floor(size / this.#multiple) * this.#multiple
  }

  feedback(feedback: DataPartitionFeedback): void {
    this.#base.feedback(feedback)
  }
}

export function toPartitionProvider(partSize: number | DataPartitionProvider | undefined): DataPartitionProvider {
  if (partSize === undefined || typeof partSize === 'number') return new FixedDataPartitionProvider(partSize)
  if (typeof partSize?.partSize !== 'function') throw invalidInput('`partSize` is a number of bytes or a DataPartitionProvider', partSize)
  return partSize
}
