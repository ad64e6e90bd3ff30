import { FixedThresholdResumablePolicy, planParts, type ItemState, type UploadResult, type QueueItem, type UploadError } from '../src/index.js'
import { PartStrip } from './part-strip.js'

/** How a file goes up, as shown on its card. */
export interface UploadPlan {
  version: 'v1' | 'v2'
  partSize: number
  lanes: number
}

/** The library's default threshold: which files go up in parts. */
const policy = new FixedThresholdResumablePolicy()
const RUNNING: ReadonlySet<ItemState> = new Set(['checking', 'uploading', 'resuming', 'retrying', 'waiting-for-network', 'stalled', 'restarting'])

/** One queue item as its card sees it: the item's state and progress, plus a strip of its parts. */
export class UploadJob extends EventTarget {
  readonly item: QueueItem
  readonly plan: UploadPlan
  readonly multiParts: boolean
  readonly strip: PartStrip
  #lastState: ItemState

  constructor(item: QueueItem, plan: UploadPlan) {
    super()
    this.item = item
    this.plan = plan
    this.multiParts = policy.policyForSize(item.size) === 'multi-parts'
    this.strip = new PartStrip(this.#plannedParts())
    this.#lastState = item.state
  }

  get file(): { name: string; size: number } {
    return this.item
  }

  get state(): ItemState {
    return this.item.state
  }

  get running(): boolean {
    return RUNNING.has(this.state)
  }

  /** Never goes back on pause: the kept parts are shown apart (`kept`). */
  get transferred(): number {
    return this.item.progress().transferredBytes
  }

  /** Whether part of `transferred` is the library's estimate (an engine that reports a body's progress rarely). */
  get estimated(): boolean {
    return (this.item.progress().estimatedBytes ?? 0) > 0
  }

  get kept(): number {
    return this.item.keptBytes
  }

  get error(): UploadError | undefined {
    return this.item.status.error
  }

  get result(): UploadResult | undefined {
    return this.item.status.result
  }

  /** Bytes per second actually sent, or undefined while there is too little to tell. */
  speed(): number | undefined {
    return this.state === 'uploading' ? this.item.progress().bytesPerSecond : undefined
  }

  secondsLeft(): number | undefined {
    const speed = this.speed()
    return speed ? (this.item.size - this.transferred) / speed : undefined
  }

  /** The queue's events for this item. */
  changed(): void {
    const state = this.state
    if (RUNNING.has(state) && !RUNNING.has(this.#lastState)) this.strip.reset(this.#plannedParts())
    if (state === 'restarting' && this.#lastState !== 'restarting') this.strip.reset(this.#plannedParts())
    if (!RUNNING.has(state) && RUNNING.has(this.#lastState)) this.strip.settle(state === 'failed' ? this.error?.partNumber : undefined)
    this.#lastState = state
    this.dispatchEvent(new Event('change'))
  }

  part(partNumber: number, state: 'uploading' | 'done' | 'resumed'): void {
    this.strip.set(partNumber, state)
  }

  /** As the library lays parts out (`planParts`). */
  #plannedParts(): number {
    if (!this.multiParts) return 0
    return planParts(this.item.size, this.plan).parts
  }
}
