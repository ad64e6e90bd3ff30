// @ts-check
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * A bandwidth limit. Every caller reserves time on one shared schedule, so an instance shared by all
 * connections caps their sum. Waiting while the request stream is paused pushes back on the client via TCP.
 */
export class Throttle {
  /** @type {number | null} */
  #bytesPerSec = null
  #nextFree = 0

  /** @param {number | null} bytesPerSec null = unlimited. */
  constructor(bytesPerSec) {
    this.bytesPerSec = bytesPerSec
  }

  get bytesPerSec() {
    return this.#bytesPerSec
  }

  set bytesPerSec(value) {
    this.#bytesPerSec = value && value > 0 ? value : null
    this.#nextFree = 0
  }

  /** @param {number} bytes Resolves when these bytes may be taken in. */
  async take(bytes) {
    if (this.#bytesPerSec === null) return
    const now = performance.now()
    this.#nextFree = Math.max(now, this.#nextFree) + (bytes * 1000) / this.#bytesPerSec
    await sleep(this.#nextFree - now)
  }
}
