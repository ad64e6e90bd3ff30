// @ts-check
// Judges each chaos upload from what the server stored and logged, and keeps the run's counts.
import { versionMd5 } from './bytes.js'

/** @typedef {import('./chaos-plan.js').ChaosSpec} ChaosSpec */
/** @typedef {import('./chaos-page.js').AttemptReport} AttemptReport */

/**
 * @typedef {object} UploadTrace Everything the runner saw of one upload.
 * @property {Array<AttemptReport & { stop: string }>} attempts What each attempt ended as.
 * @property {Array<string | null>} storedAfter The stored object's MD5 after each attempt (null: none).
 * @property {Array<{ api: string, version: number }>} commits Requests that committed the key, with the content version of the attempt they came in.
 * @property {string[]} rejections Unhandled rejections in the page during the upload.
 * @property {number} faults Faults the server injected.
 * @property {string} requests What the server saw, as `api:status+fault`.
 */

/**
 * @typedef {object} Verdict
 * @property {'completed' | 'failed' | 'untyped' | 'hung'} outcome
 * @property {string} [kind] The typed failure's kind.
 * @property {boolean} wrongObject The server held bytes that are no version of the file (at any check), or a
 *   completed upload left another version than the last one.
 * @property {boolean} committedTwice The same content was committed twice by complete/mkfile of a resumable
 *   upload (a File: its record lets the library know what it already did).
 * @property {boolean} sentAgain The same content committed twice by an upload that keeps no record: a form
 *   upload (idempotent without a callback) or a stream (each attempt is a new upload). Counted apart.
 * @property {string[]} problems Human-readable reasons.
 */

/**
 * @param {ChaosSpec} spec
 * @param {UploadTrace} trace
 * @returns {Verdict}
 */
export function judge(spec, trace) {
  const md5s = spec.versions.map((version) => versionMd5(version, spec.size))
  /** @type {string[]} */
  const problems = []
  const last = trace.attempts[trace.attempts.length - 1]
  const hung = trace.attempts.some((attempt) => attempt.outcome === 'hung')
  /** @type {Verdict['outcome']} */
  const outcome = hung ? 'hung' : last.outcome === 'completed' ? 'completed' : last.kind === 'untyped' ? 'untyped' : 'failed'
  trace.storedAfter.forEach((md5, i) => {
    if (md5 !== null && !md5s.includes(md5)) problems.push(`after attempt ${i + 1} the server holds bytes that are no version of the file`)
    // An attempt that replaced the object must have stored the file it was given.
    else if (md5 !== null && md5 !== (i > 0 ? trace.storedAfter[i - 1] : null) && md5 !== md5s[spec.attempts[i].version]) {
      problems.push(`attempt ${i + 1} stored another version of the file than the one it uploaded`)
    }
  })
  const finalMd5 = trace.storedAfter[trace.storedAfter.length - 1]
  const lastVersion = spec.attempts[trace.attempts.length - 1].version
  if (outcome === 'completed' && finalMd5 !== md5s[lastVersion]) {
    problems.push(finalMd5 === null ? 'completed, but nothing is stored' : 'completed, but the stored object is not the file as last uploaded')
  }
  const wrongObject = problems.length > 0
  const twice = (/** @type {string[]} */ apis) =>
    spec.versions.some((_, v) => trace.commits.filter((c) => c.version === v && apis.includes(c.api)).length > 1)
  const keepsRecord = spec.mode !== 'stream'
  const committedTwice = keepsRecord && twice(['complete', 'mkfile'])
  if (committedTwice) problems.push(`the same content was committed twice (${trace.commits.map((c) => `${c.api}@v${c.version}`).join(', ')})`)
  if (hung) problems.push(`hung: ${trace.attempts.find((a) => a.outcome === 'hung')?.message}`)
  if (outcome === 'untyped') problems.push(`untyped failure: ${last.message}`)
  if (trace.rejections.length > 0) problems.push(`unhandled rejections: ${trace.rejections.join(' | ')}`)
  return { outcome, kind: outcome === 'failed' ? last.kind : undefined, wrongObject, committedTwice, sentAgain: twice(['form']) || (!keepsRecord && twice(['complete', 'mkfile'])), problems }
}

export class ChaosTally {
  uploads = 0
  completed = 0
  untyped = 0
  wrongObjects = 0
  committedTwice = 0
  sentAgain = 0
  hangs = 0
  rejections = 0
  faults = 0
  /** @type {Record<string, number>} */
  failedByKind = {}
  /** @type {Record<string, number>} Interruptions and changes that happened (a stop whose upload ended first does not count). */
  events = { pause: 0, death: 0, reload: 0, changed: 0, expired: 0 }
  /** @type {Array<{ spec: ChaosSpec, trace: UploadTrace, verdict: Verdict }>} Uploads with a problem or a typed failure. */
  notable = []

  /**
   * @param {ChaosSpec} spec
   * @param {UploadTrace} trace
   * @param {Verdict} verdict
   */
  add(spec, trace, verdict) {
    this.uploads++
    if (verdict.outcome === 'completed') this.completed++
    if (verdict.outcome === 'untyped') this.untyped++
    if (verdict.outcome === 'hung') this.hangs++
    if (verdict.outcome === 'failed') this.failedByKind[verdict.kind ?? '?'] = (this.failedByKind[verdict.kind ?? '?'] ?? 0) + 1
    if (verdict.wrongObject) this.wrongObjects++
    if (verdict.committedTwice) this.committedTwice++
    if (verdict.sentAgain) this.sentAgain++
    this.rejections += trace.rejections.length
    this.faults += trace.faults
    trace.attempts.forEach((attempt, i) => {
      const planned = spec.attempts[i]
      if (attempt.outcome === 'interrupted' && planned.stop.kind !== 'none') this.events[planned.stop.kind]++
      if (i > 0 && planned.version !== spec.attempts[i - 1].version) this.events.changed++
      if (planned.expire) this.events.expired++
    })
    if (verdict.outcome !== 'completed' || verdict.problems.length > 0) this.notable.push({ spec, trace, verdict })
  }

  get failed() {
    return Object.values(this.failedByKind).reduce((sum, n) => sum + n, 0)
  }

  /** Never a wrong object, a second commit, a hang, an unhandled rejection or an untyped failure. */
  get ok() {
    return this.wrongObjects === 0 && this.committedTwice === 0 && this.hangs === 0 && this.rejections === 0 && this.untyped === 0
  }

  /** @param {number} seed */
  table(seed) {
    const kinds = Object.entries(this.failedByKind).sort(([a], [b]) => a.localeCompare(b)).map(([kind, n]) => `${kind} ${n}`).join(', ')
    const header = '| seed | uploads | completed | typed failures (by kind) | untyped | wrong objects | committed twice | hangs | unhandled rejections |'
    const row = `| ${seed} | ${this.uploads} | ${this.completed} | ${this.failed}${kinds ? ` (${kinds})` : ''} | ${this.untyped} | ${this.wrongObjects} | ${this.committedTwice} | ${this.hangs} | ${this.rejections} |`
    return [header, '|---|---|---|---|---|---|---|---|---|', row].join('\n')
  }

  eventsLine() {
    const { pause, death, reload, changed, expired } = this.events
    return `faults injected ${this.faults}; pauses ${pause}, page deaths ${death}, reloads ${reload}, files changed ${changed}, uploads expired ${expired}; uploads without a record (form, streams) that committed the same content twice (not counted) ${this.sentAgain}`
  }
}
