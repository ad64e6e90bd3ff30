import type { QueueItem, UploadQueue } from '../src/index.js'
import { confirmQuestion } from './confirm-question.js'
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
    // Forgetting deletes what was sent: asked in place, like a card's Cancel.
    const question = confirmQuestion(
      { label: `Forget ${item.name}?`, text: 'Forget? What was sent cannot be resumed.', no: ['Keep', `Keep the upload of ${item.name}`], yes: ['Yes, forget', `Yes, forget ${item.name}`] },
      (yes) => {
        question.hidden = true
        forget.hidden = false
        if (yes) void item.cancel()
        else forget.focus()
      },
    )
    forget.addEventListener('click', () => {
      forget.hidden = true
      question.hidden = false
      question.querySelector<HTMLButtonElement>('.confirm-no')!.focus()
    })
    entry.append(name, detail, forget, question)
    return entry
  }
}
