import { MultiPartsUploaderScheduler } from './scheduler.js'

/** As many parts at once as the concurrency provider says (default 4). */
export class ConcurrentMultiPartsUploaderScheduler extends MultiPartsUploaderScheduler {
  protected lanes(): number {
    return Math.max(1, Math.floor(this.concurrencyProvider.concurrency()))
  }
}
