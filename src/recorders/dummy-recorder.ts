import type { ResumableRecord, ResumableRecorder } from './recorder.js'

/** Remembers nothing: every upload starts from scratch. */
export class DummyResumableRecorder implements ResumableRecorder {
  async get(): Promise<ResumableRecord | undefined> {
    return undefined
  }

  async set(): Promise<void> {}

  async delete(): Promise<void> {}

  async entries(): Promise<Array<[string, ResumableRecord]>> {
    return []
  }
}
