import type { AutoUploaderOptions } from '../auto/auto-uploader.js'
import type { BaseUploadManager } from '../manager/upload-manager.js'
import type { ResumableRecorder } from '../recorders/recorder.js'
import type { ItemStatus } from './item-status.js'
import type { LaneBudget } from './lane-budget.js'
import type { QueueEvents } from './queue-options.js'
import type { QueueItem } from './queue-item.js'
import type { TabLocks } from './tab-locks.js'
import type { TabPresence } from './tab-presence.js'

/** What an upload queue shares with the code that runs its items (item-run.ts): not part of the public API. */
export interface QueueInternals {
  readonly manager: BaseUploadManager
  readonly bucket: string
  readonly options: AutoUploaderOptions
  readonly budget: LaneBudget
  readonly locks: TabLocks
  readonly presence: TabPresence
  readonly whenBusy: 'wait' | 'stop'
  readonly stallNoticeMs: number
  /** Items waiting for another tab to free their lock, with what stops the wait. */
  readonly waiting: Map<QueueItem, AbortController>
  items(): QueueItem[]
  recorder(): ResumableRecorder
  setStatus(item: QueueItem, status: ItemStatus): void
  requeue(item: QueueItem): void
  forget(item: QueueItem): Promise<void>
  emit<K extends keyof QueueEvents>(type: K, value: QueueEvents[K]): void
}
