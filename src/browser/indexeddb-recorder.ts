import { clear, del, delMany, entries, get, set, type UseStore } from 'idb-keyval'
import { reopeningStore, type RunOnStore } from './reopening-store.js'
import { consoleWarning, type WarningCallback } from '../warnings.js'
import { isExpired, type ResumableRecord, type ResumableRecorder } from '../recorders/recorder.js'

export interface IndexedDbRecorderOptions {
  /** Database name (default `qiniu-upload-manager`). Give each store its own database: idb-keyval creates only one store per database. */
  dbName?: string
  /** Object store name (default `resumable-records`). */
  storeName?: string
  /** Told once when IndexedDB fails and records stop being kept (default: `console.warn`). */
  onWarning?: WarningCallback
  /** An IndexedDB operation that has not settled after this many ms gives IndexedDB up: records stop being kept (default 10 000). */
  timeout?: number
}

/** Records written by another version of this library have another `format`; they are left alone. */
function isCurrentRecord(value: unknown): value is ResumableRecord {
  const record = value as Partial<ResumableRecord> | null
  return typeof record === 'object' && record !== null && record.format === 1 && typeof record.expireAt === 'number'
}

function isLive(value: unknown): value is ResumableRecord {
  return isCurrentRecord(value) && !isExpired(value)
}

async function purgeExpired(store: UseStore): Promise<void> {
  const stale = (await entries(store)).filter(([, value]) => isCurrentRecord(value) && isExpired(value))
  if (stale.length > 0) await delMany(stale.map(([key]) => key), store)
}

/**
 * Keeps resumable records in IndexedDB (via idb-keyval), so uploads resume after a reload or a
 * browser restart. It never fails an upload: a connection that closes is opened again, and when
 * IndexedDB is missing or broken it forgets quietly (one warning).
 */
export class IndexedDbResumableRecorder implements ResumableRecorder {
  /** Opened on first use, not at construction. */
  readonly #run: RunOnStore

  constructor(options: IndexedDbRecorderOptions = {}) {
    const onWarning = options.onWarning ?? consoleWarning
    const warn = (cause: unknown) => onWarning('IndexedDB is unavailable, uploads will not resume after a reload.', cause)
    // Each new connection is checked by purging the expired records.
    this.#run = reopeningStore(options.dbName ?? 'qiniu-upload-manager', options.storeName ?? 'resumable-records', warn, { prepare: purgeExpired, timeout: options.timeout })
  }

  async get(sourceKey: string): Promise<ResumableRecord | undefined> {
    const value = await this.#run((store) => get<unknown>(sourceKey, store), undefined)
    return isLive(value) ? value : undefined
  }

  async set(sourceKey: string, record: ResumableRecord): Promise<void> {
    await this.#run((store) => set(sourceKey, record, store), undefined)
  }

  async delete(sourceKey: string): Promise<void> {
    await this.#run((store) => del(sourceKey, store), undefined)
  }

  async entries(): Promise<Array<[string, ResumableRecord]>> {
    const all = await this.#run((store) => entries<IDBValidKey, unknown>(store), [])
    return all.filter((entry): entry is [string, ResumableRecord] => typeof entry[0] === 'string' && isLive(entry[1]))
  }

  /** Forgets every record in the store, of any format. */
  async clear(): Promise<void> {
    await this.#run((store) => clear(store), undefined)
  }
}
