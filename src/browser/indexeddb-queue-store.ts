import { del, set, values } from 'idb-keyval'
import { reopeningStore } from './reopening-store.js'
import { consoleWarning, type WarningCallback } from '../warnings.js'
import type { QueueStore, StoredItem } from '../queue/queue-store.js'

export interface IndexedDbQueueStoreOptions {
  /** Database name (default `qiniu-upload-manager-queue`: idb-keyval keeps one store per database). */
  dbName?: string
  /** Object store name (default `queue-items`). */
  storeName?: string
  /** Told once when IndexedDB fails and the queue stops being kept (the uploads go on). */
  onWarning?: WarningCallback
}

/** Keeps the queue's items (and their file handles) in IndexedDB; a failing IndexedDB never fails an upload. */
export function indexedDbQueueStore(options: IndexedDbQueueStoreOptions = {}): QueueStore {
  const onWarning = options.onWarning ?? consoleWarning
  const warn = (cause: unknown) => onWarning('IndexedDB is unavailable, the queue will not survive a reload.', cause)
  const run = reopeningStore(options.dbName ?? 'qiniu-upload-manager-queue', options.storeName ?? 'queue-items', warn)
  return {
    list: () => run((s) => values<StoredItem>(s), []),
    put: (item) => run((s) => set(item.id, item, s), undefined),
    delete: (id) => run((s) => del(id, s), undefined),
  }
}
