import type { QueueChannel, QueueMessage } from './queue-channel.js'

/** Posts at most this often per upload (and always its last word). */
const POST_EVERY_MS = 250

/**
 * What the other tabs of the origin upload, from their messages, and this tab's own uploads told
 * to them. An upload stops being listed when its tab says it stopped, or falls silent for `silenceMs`.
 */
export class TabPresence {
  readonly tab: string
  readonly #channel: QueueChannel
  readonly #elsewhere = new Map<string, QueueMessage & { heardAt: number }>()
  readonly #lastPost = new Map<string, number>()
  readonly #silenceMs: number

  constructor(channel: QueueChannel, tab: string, silenceMs = 10_000) {
    this.#channel = channel
    this.tab = tab
    this.#silenceMs = silenceMs
  }

  /** Starts listening; returns a function that stops. */
  listen(onChange: (message: QueueMessage) => void): () => void {
    return this.#channel.listen((message) => {
      if (message.tab === this.tab) return
      if (message.state === 'uploading' || message.state === 'resuming' || message.state === 'retrying') {
        this.#elsewhere.set(message.lock, { ...message, heardAt: Date.now() })
      } else this.#elsewhere.delete(message.lock)
      onChange(message)
    })
  }

  /** Uploads running in other tabs now. */
  elsewhere(now = Date.now()): QueueMessage[] {
    for (const [lock, message] of this.#elsewhere) if (now - message.heardAt > this.#silenceMs) this.#elsewhere.delete(lock)
    return [...this.#elsewhere.values()].map(({ heardAt: _, ...message }) => message)
  }

  /** Tells the other tabs; progress is thinned out, a final word always goes. */
  post(message: Omit<QueueMessage, 'tab'>, final = false, now = Date.now()): void {
    if (!final && now - (this.#lastPost.get(message.lock) ?? 0) < POST_EVERY_MS) return
    if (final) this.#lastPost.delete(message.lock)
    else this.#lastPost.set(message.lock, now)
    this.#channel.post({ ...message, tab: this.tab })
  }
}
