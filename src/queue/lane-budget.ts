import { abortedError } from '../errors.js'
import { positiveInteger } from '../utils/positive-integer.js'
import type { LaneGate } from '../providers/concurrency-provider.js'

interface Waiter {
  owner: object
  grant: () => void
}

/**
 * Part lanes shared by every upload of a queue. A freed lane goes to the waiting upload that holds
 * the fewest lanes (the first to ask among equals), so a big file cannot starve small ones and
 * small ones cannot starve a big one: each running upload gets at least `total / uploads` lanes.
 * `perOwner`, when set, caps the lanes one upload holds; both can change while uploads run.
 */
export class LaneBudget {
  #total: number
  #perOwner: number | undefined
  readonly #held = new Map<object, number>()
  readonly #waiting: Waiter[] = []
  #inUse = 0

  constructor(total: number, perOwner?: number) {
    this.#total = positiveInteger(total, '`lanes`')
    this.#perOwner = perOwner === undefined ? undefined : positiveInteger(perOwner, '`lanesPerFile`')
  }

  get total(): number {
    return this.#total
  }

  get inUse(): number {
    return this.#inUse
  }

  /** Changes the budget; lanes in use above a lower total are returned as their parts finish. */
  set total(total: number) {
    this.#total = positiveInteger(total, '`lanes`')
    this.#grant()
  }

  get perOwner(): number | undefined {
    return this.#perOwner
  }

  /**
   * Changes the lanes one upload may hold (undefined: no cap): a lower cap is met as parts finish, a
   * higher one at once, up to the parts the upload runs at once.
   */
  set perOwner(lanes: number | undefined) {
    this.#perOwner = lanes === undefined ? undefined : positiveInteger(lanes, '`lanesPerFile`')
    this.#grant()
  }

  /** The gate one upload takes its lanes through. */
  gate(owner: object = {}): LaneGate {
    return { acquire: (signal) => this.#acquire(owner, signal), release: () => this.#release(owner) }
  }

  #acquire(owner: object, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(abortedError(signal))
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        owner,
        grant: () => {
          signal.removeEventListener('abort', onAbort)
          resolve()
        },
      }
      const onAbort = () => {
        const index = this.#waiting.indexOf(waiter)
        if (index >= 0) this.#waiting.splice(index, 1)
        reject(abortedError(signal))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.#waiting.push(waiter)
      this.#grant()
    })
  }

  #release(owner: object): void {
    const held = (this.#held.get(owner) ?? 0) - 1
    if (held > 0) this.#held.set(owner, held)
    else this.#held.delete(owner)
    this.#inUse--
    this.#grant()
  }

  #grant(): void {
    const cap = this.#perOwner ?? Number.POSITIVE_INFINITY
    while (this.#inUse < this.#total) {
      let best = -1
      for (let i = 0; i < this.#waiting.length; i++) {
        const held = this.#heldBy(this.#waiting[i]!.owner)
        if (held < cap && (best < 0 || held < this.#heldBy(this.#waiting[best]!.owner))) best = i
      }
      if (best < 0) return
      const [waiter] = this.#waiting.splice(best, 1)
      this.#held.set(waiter!.owner, this.#heldBy(waiter!.owner) + 1)
      this.#inUse++
      waiter!.grant()
    }
  }

  #heldBy(owner: object): number {
    return this.#held.get(owner) ?? 0
  }
}

