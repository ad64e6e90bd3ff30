import { isUploadError } from '../errors.js'
import { isThrottling } from '../http/retry.js'
import { DEFAULT_PART_SIZE } from '../protocol/part-limits.js'
import { checkBounds } from './bounds.js'
import type { ConcurrencyFeedback, ConcurrencyProvider } from './concurrency-provider.js'

export interface AdaptiveConcurrencyOptions {
  /** Lanes of the first upload (default 4). */
  initial?: number
  /** The most lanes (default 8); with the part-size provider's largest part, the memory budget. */
  max?: number
}

/** An upload shorter than this many parts per lane kept its lanes busy too little to say how many are best. */
const PARTS_PER_LANE = 2
/** Rates this close count as equal: a lane more must win by more than the noise. */
const GAIN = 1.1

/**
 * A concurrency provider that learns from each upload's rate. Another lane helps while latency is the limit
 * (a lane waits for round trips, another fills the link meanwhile) and not once the link is full, so after
 * each upload large enough to keep its lanes busy it tries one lane more, as long as the last step up raised
 * the rate by more than 10 %, and steps back when a lane more did not help. Throttling halves the lanes
 * (the scheduler also halves them within the upload); a failure answered by the server or a timeout takes
 * one away. Pauses and lost connectivity teach nothing.
 */
export class AdaptiveConcurrencyProvider implements ConcurrencyProvider {
  readonly #max: number
  #lanes: number
  /** Bytes per ms of the last upload at each number of lanes. */
  readonly #rates = new Map<number, number>()
  /** Set once a lane more did not help: stays there until a failure moves it. */
  #settled = false

  constructor({ initial = 4, max = 8 }: AdaptiveConcurrencyOptions = {}) {
    checkBounds({ min: 1, initial, max }, (lanes) => Number.isSafeInteger(lanes) && lanes >= 1, 'a positive integer')
    this.#lanes = initial
    this.#max = max
  }

  concurrency(): number {
    return this.#lanes
  }

  feedback({ concurrency, objectSize, elapsed, error }: ConcurrencyFeedback): void {
    if (error !== undefined) return this.#failed(error)
    if (objectSize < concurrency * PARTS_PER_LANE * DEFAULT_PART_SIZE || elapsed <= 0) return
    this.#rates.set(concurrency, objectSize / elapsed)
    if (concurrency !== this.#lanes) return
    const fewer = this.#rates.get(concurrency - 1)
    const rate = objectSize / elapsed
    if (fewer !== undefined && rate < fewer * GAIN) {
      // The last lane added did not pay: one fewer, and stay.
      this.#lanes = Math.max(1, concurrency - 1)
      this.#settled = true
    } else if (!this.#settled) {
      this.#lanes = Math.min(this.#max, concurrency + 1)
    }
  }

  #failed(error: unknown): void {
    if (!isUploadError(error)) return
    if (isThrottling(error.statusCode)) this.#lanes = Math.max(1, Math.floor(this.#lanes / 2))
    else if (error.kind === 'status' || error.kind === 'timeout') this.#lanes = Math.max(1, this.#lanes - 1)
    else return
    this.#settled = false
    this.#rates.clear()
  }
}
