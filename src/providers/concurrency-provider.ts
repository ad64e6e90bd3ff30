import { invalidInput } from '../errors.js'
import { positiveInteger } from '../utils/positive-integer.js'

/** What a concurrency provider learns once per upload (the seed's feedback), or on throttling. */
export interface ConcurrencyFeedback {
  concurrency: number
  /** Bytes actually sent (resumed parts excluded). */
  objectSize: number
  /** ms the upload took. */
  elapsed: number
  error?: unknown
}

/** Lanes shared with other uploads (a queue's budget): each part holds one while it is hashed and sent. */
export interface LaneGate {
  /** Resolves when this upload may start one more part; rejects when `signal` aborts. */
  acquire(signal: AbortSignal): Promise<void>
  release(): void
}

/** A part of a running upload that was sent and answered (resumed parts are not told). */
export interface PartAnswer {
  /** Bytes of the part. */
  size: number
  /** When the answer came (`performance.now()`). */
  at: number
}

/** The lanes of one running upload, moved as its parts are answered. */
export interface LaneTuner {
  /** The most lanes it may ask for. */
  readonly max: number
  /** Told each part's answer; returns how many lanes the upload runs from now on. */
  answered(answer: PartAnswer): number
}

/** How many parts go up at once; asked at the start of every upload. */
export interface ConcurrencyProvider {
  concurrency(): number
  feedback(feedback: ConcurrencyFeedback): void
  /** Lanes that may change within an upload: a tuner for an upload that starts with `lanes` lanes. */
  tuner?(lanes: number): LaneTuner
  /** Lanes this upload shares with others; each part also takes one of these. */
  readonly sharedLanes?: LaneGate
}

/** Always the same number of lanes (default 4). */
export class FixedConcurrencyProvider implements ConcurrencyProvider {
  readonly #concurrency: number

  constructor(concurrency = 4) {
    this.#concurrency = positiveInteger(concurrency, '`concurrency`')
  }

  concurrency(): number {
    return this.#concurrency
  }

  /** Fixed: nothing to learn. */
  feedback(_feedback: ConcurrencyFeedback): void {}
}

/** A number is that many lanes, always. */
export function toConcurrencyProvider(concurrency: number | ConcurrencyProvider): ConcurrencyProvider {
  if (typeof concurrency === 'number') return new FixedConcurrencyProvider(concurrency)
  if (typeof concurrency?.concurrency !== 'function') throw invalidInput('`concurrency` is a number of lanes or a ConcurrencyProvider', concurrency)
  return concurrency
}
