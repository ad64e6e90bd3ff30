// @ts-check
// A recorder that can die like a page: `die()` stops every later write and undoes the last one that
// reached IndexedDB, as when the tab is killed before its last transaction commits. What is left is
// what the next page finds.

/** @typedef {import('../../src/index.js').ResumableRecorder} ResumableRecorder */
/** @typedef {import('../../src/index.js').ResumableRecord} ResumableRecord */

/** @implements {ResumableRecorder} */
export class DyingRecorder {
  #inner
  #dead = false
  /** @type {{ key: string, previous: ResumableRecord | undefined } | null} The last write, and what it replaced. */
  #last = null
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

  /** Later writes are dropped; the last one that happened is undone. */
  async die() {
    this.#dead = true
    await this.#writing
    const last = this.#last
    if (!last) return
    if (last.previous) await this.#inner.set(last.key, last.previous)
    else await this.#inner.delete(last.key)
  }

  /**
   * @param {string} key
   * @param {() => Promise<void>} operation
   */
  async #write(key, operation) {
    if (this.#dead) return
    const run = (async () => {
      const previous = await this.#inner.get(key)
      await operation()
      this.#last = { key, previous }
    })()
    this.#writing = run.catch(() => {})
    return run
  }
}
