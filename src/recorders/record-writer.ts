import type { WarningCallback } from '../warnings.js'
import type { ResumableRecord, ResumableRecorder } from './recorder.js'

/** The record under `key`; a recorder that fails to read counts as having none (told through `warn`). */
export async function readRecord(recorder: ResumableRecorder, key: string, warn: WarningCallback): Promise<ResumableRecord | undefined> {
  try {
    return await recorder.get(key)
  } catch (cause) {
    warn('The resumable record could not be read; the upload starts from the beginning.', cause)
    return undefined
  }
}

/**
 * Writes one upload's record, coalescing bursts: while a write is in flight only the newest
 * record waits, so finished parts cost at most one transaction each and progress ticks none.
 * A failing recorder never fails the upload; it is reported once through `warn`.
 */
export class RecordWriter {
  readonly #recorder: ResumableRecorder
  readonly #key: string
  readonly #warn: WarningCallback
  #pending: ResumableRecord | undefined
  #writing: Promise<void> = Promise.resolve()
  #warned = false

  constructor(recorder: ResumableRecorder, key: string, warn: WarningCallback) {
    this.#recorder = recorder
    this.#key = key
    this.#warn = warn
  }

  get key(): string {
    return this.#key
  }

  write(record: ResumableRecord): void {
    const idle = this.#pending === undefined
    this.#pending = record
    if (idle) this.#writing = this.#writing.then(() => this.#drain())
  }

  /** Resolves once everything written so far is stored (or given up on). */
  flush(): Promise<void> {
    return this.#writing
  }

  async delete(): Promise<void> {
    this.#pending = undefined
    await this.#writing
    await this.#guard(() => this.#recorder.delete(this.#key))
  }

  async #drain(): Promise<void> {
    const record = this.#pending
    this.#pending = undefined
    if (record) await this.#guard(() => this.#recorder.set(this.#key, record))
  }

  async #guard(operation: () => Promise<void>): Promise<void> {
    try {
      await operation()
    } catch (cause) {
      if (this.#warned) return
      this.#warned = true
      this.#warn('The resumable record could not be saved; this upload will not resume after a reload.', cause)
    }
  }
}
