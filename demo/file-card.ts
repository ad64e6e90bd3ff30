import type { ItemState } from '../src/index.js'
import { announce } from './announcer.js'
import { confirmQuestion } from './confirm-question.js'
import { formatBytes, formatDuration, formatSpeed } from './format.js'
import type { UploadJob } from './upload-job.js'

export interface CardActions {
  pause(job: UploadJob): void
  resume(job: UploadJob): void
  retry(job: UploadJob): void
  cancel(job: UploadJob): void
}

const STATE_LABELS: Record<ItemState, string> = {
  queued: 'Waiting',
  checking: 'Checking the file',
  uploading: 'Uploading',
  resuming: 'Resuming',
  retrying: 'Retrying',
  'waiting-for-network': 'Offline',
  stalled: 'Stalled',
  restarting: 'Starting over',
  paused: 'Paused',
  'busy-elsewhere': 'In another tab',
  'needs-permission': 'Needs permission',
  'needs-file': 'Add the file again',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
}

const RUNNING: readonly ItemState[] = ['checking', 'uploading', 'resuming', 'retrying', 'waiting-for-network', 'stalled', 'restarting']

/** Which buttons each state offers. */
const BUTTONS: Record<keyof CardActions, readonly ItemState[]> = {
  pause: [...RUNNING, 'queued'],
  resume: ['paused', 'busy-elsewhere'],
  retry: ['failed'],
  cancel: [...RUNNING, 'queued', 'paused', 'failed', 'busy-elsewhere', 'needs-file', 'needs-permission'],
}

/** Token and permission errors: trying again cannot help, so the card offers no Retry. */
const HOPELESS_STATUSES = new Set([401, 403, 413, 614, 631])

/** One file's card: name, progress, speed, part strip, result or error, and its buttons. */
export class FileCard {
  readonly element: HTMLLIElement
  readonly #job: UploadJob
  readonly #linkFor: (key: string) => string | undefined
  readonly #parts: ReturnType<typeof findParts>
  readonly #buttons = new Map<keyof CardActions, HTMLButtonElement>()
  readonly #question: HTMLElement
  readonly #cancel: () => void
  /** The "Cancel?" question is showing, or its answer was yes and the queue is cancelling. */
  #cancelStep: 'asking' | 'cancelling' | undefined
  #frame = 0
  #shownError: unknown
  #announced: { state?: ItemState; quarter: number } = { quarter: 0 }

  constructor(job: UploadJob, actions: CardActions, linkFor: (key: string) => string | undefined) {
    this.#job = job
    this.#linkFor = linkFor
    this.element = document.createElement('li')
    this.element.className = 'card'
    // Focus lands on the card when its last button goes (after Cancel), not on the page's body.
    this.element.tabIndex = -1
    this.element.innerHTML = `
      <div class="card-head">
        <span class="file-badge" aria-hidden="true"></span>
        <div class="card-title">
          <h3 class="name"></h3>
          <p class="meta"></p>
        </div>
        <span class="status"></span>
        <div class="actions"></div>
      </div>
      <div class="progress-row">
        <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100"><div class="fill"></div><div class="kept"></div></div>
        <span class="percent"></span>
      </div>
      <p class="stats"></p>
      <p class="result" hidden></p>
      <p class="error" role="alert" hidden></p>`
    const parts = findParts(this.element)
    this.#parts = parts
    parts.name.textContent = job.file.name
    parts.name.title = job.file.name
    parts.badge.textContent = extension(job.file.name)
    parts.bar.setAttribute('aria-label', `${job.file.name} upload progress`)
    if (job.multiParts) parts.stats.after(job.strip.element)
    for (const action of Object.keys(BUTTONS) as Array<keyof CardActions>) {
      const button = document.createElement('button')
      button.type = 'button'
      button.className = `action action-${action}`
      button.textContent = action[0]!.toUpperCase() + action.slice(1)
      button.setAttribute('aria-label', `${button.textContent} ${job.file.name}`)
      button.addEventListener('click', () => (action === 'cancel' ? this.#ask() : actions[action](job)))
      this.#buttons.set(action, button)
      parts.actions.append(button)
    }
    this.#cancel = () => actions.cancel(job)
    const name = job.file.name
    this.#question = confirmQuestion(
      { label: `Cancel ${name}?`, text: 'Cancel? What was sent is deleted.', no: ['Keep', `Keep uploading ${name}`], yes: ['Yes, cancel', `Yes, cancel ${name}`] },
      (yes) => this.#answer(yes),
    )
    parts.actions.append(this.#question)
    job.addEventListener('change', () => this.#schedule())
    this.#render()
  }

  #ask(): void {
    this.#cancelStep = 'asking'
    this.#render()
    this.#question.querySelector<HTMLButtonElement>('.confirm-no')!.focus()
  }

  /** Yes: the queue cancels and the focus waits on the card; no: back to the Cancel button. */
  #answer(yes: boolean): void {
    this.#cancelStep = yes ? 'cancelling' : undefined
    if (yes) {
      this.element.focus()
      this.#cancel()
    }
    this.#render()
    if (!yes) this.#buttons.get('cancel')!.focus()
  }

  /** Progress fires many times a second; the card repaints at most once a frame. */
  #schedule(): void {
    if (this.#frame === 0) this.#frame = requestAnimationFrame(() => this.#render())
  }

  #render(): void {
    this.#frame = 0
    const { state, transferred, kept, file } = this.#job
    const fraction = state === 'done' ? 1 : transferred / Math.max(1, file.size)
    // 100 % only once the server has answered: the last bytes sent are not the object stored yet.
    const percent = state === 'done' ? 100 : Math.min(99, Math.floor(fraction * 100))
    this.element.dataset.state = state
    if (this.#job.item.finished) this.#cancelStep = undefined
    this.#parts.status.textContent = this.#cancelStep === 'cancelling' ? 'Cancelling' : STATE_LABELS[state]
    this.#parts.fill.style.width = `${fraction * 100}%`
    this.#parts.kept.style.width = `${(state === 'done' ? 1 : kept / Math.max(1, file.size)) * 100}%`
    this.#parts.bar.setAttribute('aria-valuenow', String(percent))
    this.#parts.percent.textContent = `${percent} %`
    this.#parts.meta.textContent = describePlan(this.#job)
    this.#parts.stats.textContent = stats(this.#job)
    this.#renderResult()
    this.#renderError()
    this.#renderButtons()
    this.#announce(percent)
  }

  #renderResult(): void {
    const result = this.#job.result
    const element = this.#parts.result
    element.hidden = this.#job.state !== 'done' || !result
    if (element.hidden || element.childElementCount > 0 || !result) return
    const link = this.#linkFor(result.key)
    element.innerHTML = `<span>Key <code></code></span><span>Hash <code></code></span>${link ? '<a target="_blank" rel="noopener">Open object</a>' : ''}`
    const [key, hash] = element.querySelectorAll('code')
    key!.textContent = result.key
    hash!.textContent = result.hash
    if (link) element.querySelector('a')!.href = link
  }

  #renderError(): void {
    const { error, state } = this.#job
    const element = this.#parts.error
    element.hidden = !(state === 'failed' || state === 'needs-file') || error === undefined
    // Rewriting an alert makes screen readers read it again; write each error once.
    if (element.hidden || error === this.#shownError || !error) return
    this.#shownError = error
    element.textContent = readableError(this.#job)
    if (error.reqId) {
      const reqId = document.createElement('span')
      reqId.className = 'req-id'
      reqId.textContent = `X-ReqId ${error.reqId} (quote it to support)`
      element.append(' ', reqId)
    }
  }

  /** Shows the state's buttons (none while Cancel asks or cancels); keeps keyboard focus in the card when the focused button goes away. */
  #renderButtons(): void {
    const focused = document.activeElement
    const hopeless = this.#job.error?.statusCode !== undefined && HOPELESS_STATUSES.has(this.#job.error.statusCode)
    if (this.#cancelStep === 'asking' && !BUTTONS.cancel.includes(this.#job.state)) this.#cancelStep = undefined
    this.#question.hidden = this.#cancelStep !== 'asking'
    for (const [action, button] of this.#buttons) {
      button.hidden = this.#cancelStep !== undefined || !BUTTONS[action].includes(this.#job.state) || (action === 'retry' && hopeless)
    }
    if (focused instanceof HTMLButtonElement && focused.closest('[hidden]') && this.element.contains(focused)) {
      const next = [...this.#buttons.values()].find((button) => !button.hidden)
      ;(next ?? this.element).focus()
    }
  }

  #announce(percent: number): void {
    const { state, file } = this.#job
    const quarter = Math.floor(percent / 25)
    // The error itself is read out by its own role="alert".
    if (state !== this.#announced.state) {
      announce(`${file.name}: ${STATE_LABELS[state].toLowerCase()}`)
      this.#announced = { state, quarter }
    } else if (state === 'uploading' && quarter > this.#announced.quarter) {
      announce(`${file.name}: ${quarter * 25} %`)
      this.#announced.quarter = quarter
    }
  }
}

function findParts(card: HTMLElement) {
  const find = (selector: string) => card.querySelector<HTMLElement>(selector)!
  return {
    name: find('.name'),
    badge: find('.file-badge'),
    meta: find('.meta'),
    status: find('.status'),
    actions: find('.actions'),
    bar: find('.bar'),
    fill: find('.fill'),
    kept: find('.kept'),
    percent: find('.percent'),
    stats: find('.stats'),
    result: find('.result'),
    error: find('.error'),
  }
}

function describePlan(job: UploadJob): string {
  const { version, partSize, lanes } = job.plan
  const size = formatBytes(job.file.size)
  if (!job.multiParts) return `${size} · form upload, one request`
  return `${size} · ${version.toUpperCase()} · ${formatBytes(partSize)} parts, ${lanes} at a time`
}

function stats(job: UploadJob): string {
  const size = formatBytes(job.file.size)
  const { status } = job.item
  const retry = status.retry
  switch (job.state) {
    case 'uploading': {
      const speed = job.speed()
      const moved = `${job.estimated ? 'about ' : ''}${formatBytes(job.transferred)} of ${size}`
      if (speed === undefined) return job.multiParts ? moved : `${moved} · one request, the server answers at the end`
      const left = job.secondsLeft()
      return [moved, formatSpeed(speed), left === undefined ? '' : `${formatDuration(left)} left`].filter(Boolean).join(' · ')
    }
    case 'resuming':
      return `Resuming: ${formatBytes(status.bytesOnServer ?? job.kept)} of ${size} already on the server`
    case 'retrying':
      return `The server did not take ${retry?.api ?? 'a request'} (${reason(retry?.error)}); trying again, attempt ${retry?.attempt} of ${retry?.maxAttempts}, in ${formatDuration((retry?.delayMs ?? 0) / 1000)}. Nothing sent is lost.`
    case 'waiting-for-network':
      return 'Offline: waiting for the network. Nothing sent is lost.'
    case 'stalled':
      return 'No byte has moved for a while: the request will be sent again.'
    case 'restarting':
      return 'The server no longer has this upload (it expired or was removed): starting again from the first byte.'
    case 'queued':
      return 'Waiting for a free slot in the queue'
    case 'checking':
      return 'Checking that the file is the one queued'
    case 'paused':
      return job.multiParts ? `${formatBytes(job.kept)} of ${size} kept on the server · paused` : 'Paused: a small file goes up in one request and starts over'
    case 'busy-elsewhere':
      return `Another tab is uploading this file (${formatBytes(job.transferred)} of ${size}); this one takes over if that tab closes.`
    case 'needs-file':
      return `${formatBytes(job.kept)} of ${size} on the server: add the same file again to carry on.`
    case 'needs-permission':
      return `${formatBytes(job.kept)} of ${size} on the server: press "Continue all" to let the page read the file again.`
    case 'cancelled':
      return 'The upload was removed from the server and from this browser'
    default:
      return ''
  }
}

function reason(error: { statusCode?: number; kind: string } | undefined): string {
  if (!error) return 'no answer'
  if (error.statusCode) return `HTTP ${error.statusCode}`
  return error.kind === 'timeout' ? 'no progress' : error.kind === 'network' ? 'connection lost' : error.kind
}

/** The library's message, and whether what was sent is kept. */
function readableError(job: UploadJob): string {
  const error = job.error!
  const keptNote = job.state === 'needs-file' ? '' : job.multiParts && job.kept > 0 ? ` ${formatBytes(job.kept)} sent so far is kept: Retry carries on from there.` : ''
  const hint = error.statusCode === 401 ? ' The upload token was refused: reload the page to get a new one.' : ''
  return `${error.message}${hint}${keptNote}`
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 && name.length - dot <= 5 ? name.slice(dot + 1).toUpperCase() : 'FILE'
}
