import type { DataPartitionProvider } from '../providers/partition-provider.js'
import { MiB } from '../protocol/part-limits.js'

export type ResumablePolicy = 'single-part' | 'multi-parts'

/** Chooses form upload or multi-part upload from the size (the seed's `ResumablePolicyProvider`). */
export interface ResumablePolicyProvider {
  policyForSize(size: number): ResumablePolicy
  /** For streams: how many bytes to read before deciding (a stream that ends sooner is decided by its size). */
  peekBytes(): number
}

/** Multi-part strictly above `threshold` bytes (default 4 MiB). */
export class FixedThresholdResumablePolicy implements ResumablePolicyProvider {
  readonly threshold: number

  constructor(threshold = 4 * MiB) {
    this.threshold = threshold
  }

  policyForSize(size: number): ResumablePolicy {
    return size > this.threshold ? 'multi-parts' : 'single-part'
  }

  peekBytes(): number {
    return this.threshold + 1
  }
}

/** Multi-part above `multiply` part sizes of `partitioner` (default: above one part). */
export class MultiplePartitionsResumablePolicy implements ResumablePolicyProvider {
  readonly #partitioner: DataPartitionProvider
  readonly #multiply: number

  constructor(partitioner: DataPartitionProvider, multiply = 1) {
    this.#partitioner = partitioner
    this.#multiply = multiply
  }

  #threshold(): number {
    return this.#partitioner.partSize() * this.#multiply
  }

  policyForSize(size: number): ResumablePolicy {
    return size > this.#threshold() ? 'multi-parts' : 'single-part'
  }

  peekBytes(): number {
    return this.#threshold() + 1
  }
}

/** Always one form upload, whatever the size (a stream is read whole into memory first). */
export class AlwaysSinglePart implements ResumablePolicyProvider {
  policyForSize(): ResumablePolicy {
    return 'single-part'
  }

  peekBytes(): number {
    return Number.POSITIVE_INFINITY
  }
}

/** Always a multi-part upload (note: Kodo's V2 rejects empty sources). */
export class AlwaysMultiParts implements ResumablePolicyProvider {
  policyForSize(): ResumablePolicy {
    return 'multi-parts'
  }

  peekBytes(): number {
    return 0
  }
}
