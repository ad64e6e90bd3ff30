import { UploadError } from '../errors.js'
import type { LaneTuner } from '../providers/concurrency-provider.js'
import { MultiPartsUploaderScheduler } from './scheduler.js'

/** As many parts at once as the concurrency provider says (default 4, growing while latency is the limit). */
export class ConcurrentMultiPartsUploaderScheduler extends MultiPartsUploaderScheduler {
  protected lanes(): number {
    const lanes = this.concurrencyProvider.concurrency()
    if (!Number.isSafeInteger(lanes) || lanes < 1) {
      throw new UploadError('invalid-input', `The concurrency provider answered ${String(lanes)}: the number of parts at once is an integer, at least 1.`)
    }
    return lanes
  }

  /** The provider's tuner, if it has one (the default's climbs while more lanes raise the rate). */
  protected override laneTuner(lanes: number): LaneTuner | undefined {
    return this.concurrencyProvider.tuner?.(lanes)
  }
}
