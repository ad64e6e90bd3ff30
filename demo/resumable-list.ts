import type { QueueItem, UploadQueue } from '../src/index.js'
import { formatBytes } from './format.js'

const WAITING_FOR_USER = new Set(['needs-file', 'needs-permission'])

/**
 * Uploads an earlier visit left unfinished, from the queue's own store. Items whose file handle was
 * kept continue with one click; the others ask for the same file again.
 */
export class ResumableList {
  readonly #section: HTMLElement
  readonly #queue: UploadQueue
  #restored: QueueItem[] = []

  constructor(section: HTMLElement, queue: UploadQueue) {
    this.#section = section
    this.#queue = queue
    section.querySelector<HTMLButtonElement>('.continue-all')!.addEventListener('click', () => void queue.continueAll())
  }

  async load(): Promise<QueueItem[]> {
    this.#restored = await this.#queue.restore()
    this.render()
    return this.#restored
  }

  /** Restored items the user still has to act on. */
  render(): void {
    const waiting = this.#restored.filter((item) => WAITING_FOR_USER.has(item.state) || (item.state === 'paused' && item.restoredFrom !== 'paused'))
    this.#section.hidden = waiting.length === 0
    this.#section.querySelector<HTMLButtonElement>('.continue-all')!.hidden = !waiting.some((item) => item.state !== 'needs-file')
    this.#section.querySelector('ul')!.replaceChildren(...waiting.map((item) => this.#entry(item)))
  }

  #entry(item: QueueItem): HTMLLIElement {
    const entry = document.createElement('li')
    entry.className = 'resumable'
    const name = document.createElement('strong')
    name.textContent = item.name
    name.title = item.name
    const detail = document.createElement('span')
    const how = item.state === 'needs-file' ? 'add the file again' : 'continues with one click'
    detail.textContent = `${formatBytes(item.keptBytes)} of ${formatBytes(item.size)} sent · ${how}`
    const forget = document.createElement('button')
    forget.type = 'button'
    forget.className = 'action'
    forget.textContent = 'Forget'
    forget.setAttribute('aria-label', `Forget the unfinished upload of ${item.name}`)
    forget.addEventListener('click', () => void item.cancel())
    entry.append(name, detail, forget)
    return entry
  }
}
