import type { UploadAdapters, UploadManagerOptions } from '../manager/upload-manager.js'
import { noQueueChannel } from '../queue/queue-channel.js'
import type { UploadQueueOptions } from '../queue/queue-options.js'
import { noTabLocks } from '../queue/tab-locks.js'
import { consoleWarning, type WarningCallback } from '../warnings.js'
import { broadcastQueueChannel } from './broadcast-channel.js'
import { browserConnectivity } from './connectivity.js'
import { indexedDbQueueStore } from './indexeddb-queue-store.js'
import { IndexedDbResumableRecorder } from './indexeddb-recorder.js'
import { webLocks } from './web-locks.js'
import { WorkerHasherPool } from './worker-pool.js'
import { xhrFetch } from './xhr-fetch.js'

/** The manager's adapters in a browser, where `options` does not give its own: XHR, online events, hashing workers, IndexedDB. */
export function browserAdapters(options: UploadManagerOptions): UploadAdapters {
  const onWarning = options.onWarning ?? consoleWarning
  return {
    fetch: options.fetch ?? xhrFetch,
    connectivity: options.connectivity ?? browserConnectivity(),
    hasher: options.hasher ?? new WorkerHasherPool({ onWarning }),
    recorder: options.recorder ?? new IndexedDbResumableRecorder({ onWarning }),
  }
}

/**
 * The queue's adapters in a browser: the queue kept in IndexedDB (next to the resumable records), Web Locks
 * so one tab at a time sends a file, BroadcastChannel so other tabs see the progress. Where one is missing,
 * the queue goes on without it.
 */
export function browserQueueAdapters(onWarning: WarningCallback): Pick<UploadQueueOptions, 'store' | 'locks' | 'channel'> {
  const locks = globalThis.navigator?.locks
  return {
    store: indexedDbQueueStore({ onWarning }),
    locks: locks ? webLocks(locks) : noTabLocks,
    channel: typeof BroadcastChannel === 'function' ? broadcastQueueChannel(new BroadcastChannel('qiniu-upload-manager-queue')) : noQueueChannel,
  }
}
