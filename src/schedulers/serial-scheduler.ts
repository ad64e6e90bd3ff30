import { MultiPartsUploaderScheduler } from './scheduler.js'

/** One part at a time; ignores the concurrency provider. */
export class SerialMultiPartsUploaderScheduler extends MultiPartsUploaderScheduler {
  protected lanes(): number {
    return 1
  }
}
