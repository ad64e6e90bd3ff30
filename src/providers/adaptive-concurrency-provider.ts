import { isUploadError } from '../errors.js'
import { isThrottling } from '../http/retry.js'
import { checkBounds } from './bounds.js'
import type { ConcurrencyFeedback, ConcurrencyProvider, LaneTuner } from './concurrency-provider.js'
import { ClimbingLaneTuner } from './lane-tuner.js'

export interface AdaptiveConcurrencyOptions {
  /** Lanes of the first upload (default 4). */
  initial?: number
  /**
   * The most lanes (default 6, the most connections Chromium and Firefox open to an HTTP/1.1 host: more
   * lanes there queue their preflights behind other lanes' bodies; over HTTP/2 more can pay). With the part
   * size (and one part hashed ahead per lane), the memory budget.
   */
  max?: number
}

/**
 * The default concurrency provider: lanes that grow within an upload while latency is the limit
 * (`ClimbingLaneTuner`), and start the next upload where the last one settled. Throttling halves the lanes
 * (the scheduler also halves them within the upload); a failure answered by the server or a timeout takes
 * one away, and a tuner begun before it does not write its level back. Pauses and lost connectivity teach
 * nothing.
 */
export class AdaptiveConcurrencyProvider implements ConcurrencyProvider {
  readonly #max: number
  #lanes: number
  /** Failures so far: a tuner writes its level back only if none came while it ran. */
  #failures = 0

  constructor({ initial = 4, max = 6 }: AdaptiveConcurrencyOptions = {}) {
    checkBounds({ min: 1, initial, max }, (lanes) => Number.isSafeInteger(lanes) && lanes >= 1, 'a positive integer')
    this.#lanes = initial
    this.#max = max
  }

  concurrency(): number {
    return this.#lanes
  }

  tuner(lanes: number): LaneTuner {
    const failures = this.#failures
    return new ClimbingLaneTuner(lanes, this.#max, (settled) => {
      if (failures === this.#failures) this.#lanes = settled
    })
  }

  feedback({ error }: ConcurrencyFeedback): void {
    if (!isUploadError(error)) return
    if (isThrottling(error.statusCode)) this.#lanes = Math.max(1, Math.floor(this.#lanes / 2))
    else if (error.kind === 'status' || error.kind === 'timeout') this.#lanes = Math.max(1, this.#lanes - 1)
    else return
    this.#failures++
  }
}
