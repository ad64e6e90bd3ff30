// @ts-check
// A recorder that can die like a page: `die()` stops every later write and undoes the one still in
// flight, as when the tab is killed before its last transaction commits. A write whose promise had
// already resolved is durable (IndexedDB's transaction completed): a real page death cannot take it
// back, and the library relies on that before a final call. What is left is what the next page finds.

/** @typedef {import('../../src/index.js').ResumableRecorder} ResumableRecorder */
/** @typedef {import('../../src/index.js').ResumableRecord} ResumableRecord */

/** @implements {ResumableRecorder} */
export class DyingRecorder {
  #inner
  #dead = false
  /** @type {{ key: string, previous: ResumableRecord | undefined } | null} The write in flight, and what it replaces. */
  #inFlight = null
  /** @type {Promise<unknown>} */
  #writing = Promise.resolve()

  /** @param {ResumableRecorder} inner */
  constructor(inner) {
    this.#inner = inner
  }

  /** @param {string} key */
  get(key) {
    return this.#inner.get(key)
  }

  entries() {
    return this.#inner.entries()
  }

  /**
   * @param {string} key
   * @param {ResumableRecord} record
   */
  set(key, record) {
    return this.#write(key, () => this.#inner.set(key, record))
  }

  /** @param {string} key */
  delete(key) {
    return this.#write(key, () => this.#inner.delete(key))
  }

  /** Later writes are dropped; the one in flight is undone. */
  async die() {
    this.#dead = true
    const lost = this.#inFlight
    await this.#writing
    if (!lost) return
    if (lost.previous) await this.#inner.set(lost.key, lost.previous)
    else await this.#inner.delete(lost.key)
  }

  /**
   * @param {string} key
   * @param {() => Promise<void>} operation
   */
  async #write(key, operation) {
    if (this.#dead) return
    const run = (async () => {
      const write = { key, previous: await this.#inner.get(key) }
      this.#inFlight = write
      try {
        await operation()
      } finally {
        if (this.#inFlight === write) this.#inFlight = null
      }
    })()
    this.#writing = run.catch(() => {})
    return run
  }
}
