import type { LaneTuner, PartAnswer } from './concurrency-provider.js'

/** Rates this close count as equal: more lanes must win by more than the noise. */
const GAIN = 1.1

/**
 * Lanes for one upload that climb while they pay. Another lane helps while latency is the limit (a lane
 * waits for its part's preflight and answer, and another can fill the link meanwhile), and not once the
 * link or the CPU is full. At each level it lets one answer per lane go by (parts begun at the level
 * before), measures the rate over the next answer per lane, and climbs by half the lanes (4, 6, 9…) while
 * a level beats the one before by more than 10 %. At the first that does not, it goes back to the best
 * level and stays there, and tells `onSettled`.
 */
export class ClimbingLaneTuner implements LaneTuner {
  readonly max: number
  readonly #onSettled: (lanes: number) => void
  #lanes: number
  #settled = false
  #best: { lanes: number; rate: number } | undefined
  /** Answers at this level, the bytes of those measured, and when the measuring began (ms). */
  #answers = 0
  #bytes = 0
  #from = 0

  constructor(lanes: number, max: number, onSettled: (lanes: number) => void = () => {}) {
    this.#lanes = lanes
    this.max = Math.max(lanes, max)
    this.#onSettled = onSettled
  }

  answered({ size, at }: PartAnswer): number {
    if (this.#settled) return this.#lanes
    const answers = ++this.#answers
    if (answers <= this.#lanes) {
      this.#from = at
      return this.#lanes
    }
    this.#bytes += size
    if (answers < 2 * this.#lanes) return this.#lanes
    const rate = this.#bytes / Math.max(1, at - this.#from)
    if (this.#best && rate <= this.#best.rate * GAIN) return this.#settle(this.#best.lanes)
    this.#best = { lanes: this.#lanes, rate }
    if (this.#lanes >= this.max) return this.#settle(this.#lanes)
    this.#lanes = Math.min(this.max, this.#lanes + Math.ceil(this.#lanes / 2))
    this.#answers = this.#bytes = 0
    return this.#lanes
  }

  #settle(lanes: number): number {
    this.#settled = true
    this.#lanes = lanes
    this.#onSettled(lanes)
    return lanes
  }
}
