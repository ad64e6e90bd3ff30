import { createStore, del, delMany, entries, get, set, type UseStore } from 'idb-keyval'
import { consoleWarning, type WarningCallback } from '../warnings.js'
import { isExpired, type ResumableRecord, type ResumableRecorder } from '../recorders/recorder.js'

export interface IndexedDbRecorderOptions {
  /** Database name (default `qiniu-upload-manager`). Give each store its own database: idb-keyval creates only one store per database. */
  dbName?: string
  /** Object store name (default `resumable-records`). */
  storeName?: string
  /** Told once when IndexedDB fails and records stop being kept (default: `console.warn`). */
  onWarning?: WarningCallback
}

/** The first open and one reopen; after that the recorder carries on without persistence. */
const MAX_OPENS = 2

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
 * browser restart. It never fails an upload: when IndexedDB is missing or breaks, it reopens once,
 * then forgets quietly (one warning).
 */
export class IndexedDbResumableRecorder implements ResumableRecorder {
  readonly #dbName: string
  readonly #storeName: string
  readonly #onWarning: WarningCallback
  /** Opened on first use, not at construction; resolves to undefined once persistence is given up. */
  #store?: Promise<UseStore | undefined>
  #opens = 0

  constructor(options: IndexedDbRecorderOptions = {}) {
    this.#dbName = options.dbName ?? 'qiniu-upload-manager'
    this.#storeName = options.storeName ?? 'resumable-records'
    this.#onWarning = options.onWarning ?? consoleWarning
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

  /** Runs one operation; on failure reopens the store (once per recorder) and tries again, else gives `fallback`. */
  async #run<T>(operation: (store: UseStore) => Promise<T>, fallback: T): Promise<T> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const current = (this.#store ??= this.#open())
      const store = await current
      if (!store) return fallback
      try {
        return await operation(store)
      } catch (error) {
        // Concurrent operations fail together; only the first one replaces the broken store.
        if (this.#store === current) this.#store = this.#open(error)
      }
    }
    return fallback
  }

  /** A new store, checked by purging the expired records, or undefined (and one warning) when that fails. */
  async #open(lastError?: unknown): Promise<UseStore | undefined> {
    while (this.#opens < MAX_OPENS) {
      this.#opens++
      try {
        const store = createStore(this.#dbName, this.#storeName)
        await purgeExpired(store)
        return store
      } catch (error) {
        lastError = error
      }
    }
    this.#onWarning('IndexedDB is unavailable, uploads will not resume after a reload.', lastError)
    return undefined
  }
}
