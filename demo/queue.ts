import type { UploadJob } from './upload-job.js'

/** Runs jobs in the order they were queued, at most `limit` files at a time. */
export class UploadQueue {
  #limit: number
  #waiting: UploadJob[] = []
  #running = 0

  constructor(limit: number) {
    this.#limit = limit
  }

  setLimit(limit: number): void {
    this.#limit = limit
    this.#pump()
  }

  add(job: UploadJob): void {
    job.markQueued()
    this.#waiting.push(job)
    this.#pump()
  }

  /** Takes a job that has not started yet out of the line; running jobs are unaffected. */
  remove(job: UploadJob): void {
    this.#waiting = this.#waiting.filter((waiting) => waiting !== job)
  }

  #pump(): void {
    while (this.#running < this.#limit && this.#waiting.length > 0) {
      const job = this.#waiting.shift()!
      this.#running++
      void job.run().finally(() => {
        this.#running--
        this.#pump()
      })
    }
  }
}
