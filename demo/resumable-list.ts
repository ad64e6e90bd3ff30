import type { ResumableRecord, ResumableRecorder } from '../src/index.js'
import { formatAge, formatBytes } from './format.js'

/**
 * Uploads an earlier visit left unfinished, from the recorder. A page cannot reopen a file by
 * itself, so it asks for the same file again; adding it resumes the upload.
 */
export class ResumableList {
  readonly #section: HTMLElement
  readonly #recorder: ResumableRecorder
  #entries: Array<[string, ResumableRecord]> = []

  constructor(section: HTMLElement, recorder: ResumableRecorder) {
    this.#section = section
    this.#recorder = recorder
  }

  async load(bucket: string): Promise<void> {
    const entries = await this.#recorder.entries()
    this.#entries = entries
      .filter(([, record]) => record.bucket === bucket && record.source.name !== undefined)
      .sort(([, a], [, b]) => b.updatedAt - a.updatedAt)
    this.#render()
  }

  /** The newest record this file left, taken off the list; undefined for a file seen for the first time. */
  take(file: File): ResumableRecord | undefined {
    const index = this.#entries.findIndex(([, { source }]) => source.name === file.name && source.size === file.size && source.lastModified === file.lastModified)
    if (index < 0) return undefined
    const [entry] = this.#entries.splice(index, 1)
    this.#render()
    return entry?.[1]
  }

  /** Only the browser's record goes: an unfinished V2 upload on the server expires by itself. */
  async #forget(key: string): Promise<void> {
    await this.#recorder.delete(key)
    this.#entries = this.#entries.filter(([k]) => k !== key)
    this.#render()
  }

  #render(): void {
    this.#section.hidden = this.#entries.length === 0
    const list = this.#section.querySelector('ul')!
    list.replaceChildren(...this.#entries.map(([key, record]) => this.#item(key, record)))
  }

  #item(key: string, record: ResumableRecord): HTMLLIElement {
    const item = document.createElement('li')
    item.className = 'resumable'
    const name = document.createElement('strong')
    name.textContent = record.source.name ?? ''
    const detail = document.createElement('span')
    const sent = record.parts.reduce((sum, part) => sum + part.size, 0)
    detail.textContent = `${formatBytes(sent)} of ${formatBytes(record.source.size ?? 0)} sent · ${record.version.toUpperCase()} · ${formatAge(record.updatedAt)}`
    const forget = document.createElement('button')
    forget.type = 'button'
    forget.className = 'action'
    forget.textContent = 'Forget'
    forget.setAttribute('aria-label', `Forget the unfinished upload of ${name.textContent}`)
    forget.addEventListener('click', () => void this.#forget(key))
    item.append(name, detail, forget)
    return item
  }
}
