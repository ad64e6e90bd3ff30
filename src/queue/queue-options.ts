import type { AutoUploaderOptions } from '../auto/auto-uploader.js'
import type { QueueChannel, QueueMessage } from './queue-channel.js'
import type { QueueItem } from './queue-item.js'
import type { QueueStore } from './queue-store.js'
import type { TabLocks } from './tab-locks.js'

export interface UploadQueueOptions {
  /** Files uploading at once (default 2). */
  files?: number
  /** Part lanes shared by every file (default 6): a part being hashed and sent holds one, a form upload holds one. */
  lanes?: number
  /**
   * Parts at once for each file at most (default: no cap beyond `lanes`), changeable while files upload
   * (`setBudget`): lowering it takes effect as parts finish; raising it takes effect at once, up to the
   * parts a file started with (its `concurrency`, or the queue's `lanes` at its start or resume).
   */
  lanesPerFile?: number
  /**
   * Each file's AutoUploader options (policy, version, part size, recorder). `concurrency` caps one file's
   * lanes; a provider whose lanes grow within an upload (`AdaptiveConcurrencyProvider`) grows them up to `lanes`.
   */
  uploader?: AutoUploaderOptions
  /** Where the queue is kept across reloads (default: memory; `createUploadQueue` uses IndexedDB). */
  store?: QueueStore
  /** One upload per file across tabs (default: none; `createUploadQueue` uses Web Locks). */
  locks?: TabLocks
  /** Progress for the other tabs (default: none; `createUploadQueue` uses BroadcastChannel). */
  channel?: QueueChannel
  /** When another tab uploads the same file: `wait` for it and take over when it stops (default), or `stop` at `busy-elsewhere`. */
  whenBusyElsewhere?: 'wait' | 'stop'
  /** An uploading item shows `stalled` after this many ms without a byte moving (default 10 000). */
  stallNoticeMs?: number
}

export interface QueueEvents {
  added: QueueItem
  state: QueueItem
  progress: QueueItem
  done: QueueItem
  failed: QueueItem
  /** A part's request starts, or the part is on the server (sent, or found there on resume). */
  part: { item: QueueItem; partNumber: number; state: 'uploading' | 'done' | 'resumed' }
  /** Uploads running in other tabs changed. */
  elsewhere: QueueMessage[]
}
