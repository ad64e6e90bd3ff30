import { isExpired, type ResumableRecord, type ResumableRecorder } from './recorder.js'

/** Keeps records for the lifetime of the page: resumes after a pause or a failure, not a reload. */
export class MemoryResumableRecorder implements ResumableRecorder {
  readonly #records = new Map<string, ResumableRecord>()

  async get(sourceKey: string): Promise<ResumableRecord | undefined> {
    const record = this.#records.get(sourceKey)
    return record && !isExpired(record) ? structuredClone(record) : undefined
  }

  async set(sourceKey: string, record: ResumableRecord): Promise<void> {
    this.#records.set(sourceKey, structuredClone(record))
  }

  async delete(sourceKey: string): Promise<void> {
    this.#records.delete(sourceKey)
  }

  async entries(): Promise<Array<[string, ResumableRecord]>> {
    return [...this.#records].filter(([, record]) => !isExpired(record))
  }

  async clear(): Promise<void> {
    this.#records.clear()
  }
}
