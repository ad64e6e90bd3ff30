import type { WarningCallback } from '../warnings.js'
import type { QueueEvents } from './queue-options.js'

type Listener<K extends keyof QueueEvents> = (value: QueueEvents[K]) => void

/** The queue's listeners; one that throws is reported, never stops the queue. */
export class QueueEmitter {
  readonly #listeners = new Map<keyof QueueEvents, Set<Listener<never>>>()
  readonly #warn: WarningCallback

  constructor(warn: WarningCallback) {
    this.#warn = warn
  }

  on<K extends keyof QueueEvents>(type: K, listener: Listener<K>): () => void {
    const listeners = this.#listeners.get(type) ?? new Set()
    this.#listeners.set(type, listeners.add(listener as Listener<never>))
    return () => listeners.delete(listener as Listener<never>)
  }

  emit<K extends keyof QueueEvents>(type: K, value: QueueEvents[K]): void {
    for (const listener of this.#listeners.get(type) ?? []) {
      try {
        ;(listener as Listener<K>)(value)
      } catch (cause) {
        this.#warn(`A queue "${type}" listener threw.`, cause)
      }
    }
  }
}
