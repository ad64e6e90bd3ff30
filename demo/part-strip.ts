export type PartState = 'waiting' | 'hashing' | 'uploading' | 'done' | 'resumed' | 'failed'

const PART_STATES: readonly PartState[] = ['waiting', 'hashing', 'uploading', 'done', 'resumed', 'failed']

/** More parts than this do not fit one row legibly. */
const DENSE_FROM = 40

const IN_FLIGHT: ReadonlySet<PartState> = new Set(['hashing', 'uploading'])

/** One cell per part, coloured by state; its accessible name sums the states up. */
export class PartStrip {
  readonly element: HTMLElement
  #states: PartState[] = []
  #cells: HTMLElement[] = []

  constructor(parts: number) {
    this.element = document.createElement('div')
    this.element.className = 'part-strip'
    this.element.setAttribute('role', 'img')
    this.reset(parts)
  }

  /** Back to all waiting, for a new attempt: parts kept from a record come back as "resumed". */
  reset(parts: number): void {
    this.#states = []
    this.#cells = []
    this.element.replaceChildren()
    this.#grow(parts)
    this.#describe()
  }

  set(partNumber: number, state: PartState): void {
    this.#grow(partNumber)
    const index = partNumber - 1
    if (this.#states[index] === state) return
    this.#states[index] = state
    this.#paint(index)
    this.#describe()
  }

  /** When an attempt stops, the parts it was working on go back to waiting (pause) or failed. */
  /** Parts still in flight go back to waiting; `failed` (the part whose request failed) turns red. */
  settle(failed?: number): void {
    this.#states.forEach((state, index) => {
      if (IN_FLIGHT.has(state)) this.set(index + 1, 'waiting')
    })
    if (failed !== undefined) this.set(failed, 'failed')
  }

  /** A part numbered past the planned count still gets a cell. */
  #grow(parts: number): void {
    while (this.#cells.length < parts) {
      const cell = document.createElement('span')
      cell.className = 'part'
      this.#cells.push(cell)
      this.#states.push('waiting')
      this.element.append(cell)
      this.#paint(this.#cells.length - 1)
    }
    // A few parts fill one row; many wrap into rows of small cells.
    this.element.style.setProperty('--parts', String(this.#cells.length))
    this.element.classList.toggle('dense', this.#cells.length > DENSE_FROM)
  }

  #paint(index: number): void {
    const cell = this.#cells[index]!
    cell.dataset.state = this.#states[index]
    cell.title = `Part ${index + 1}: ${this.#states[index]}`
  }

  #describe(): void {
    const summary = PART_STATES.map((state) => [state, this.#states.filter((s) => s === state).length] as const)
      .filter(([, n]) => n > 0)
      .map(([state, n]) => `${n} ${state}`)
    this.element.setAttribute('aria-label', `Parts: ${summary.join(', ')}`)
  }
}
