// @ts-check
// Judges each soak upload against what the server stored, and keeps the counts.
import { expectedMd5 } from './bytes.js'

/** @typedef {import('./plan.js').UploadSpec} UploadSpec */
/** @typedef {import('./upload.js').UploadReport} UploadReport */
/** @typedef {{ fsize: number, md5: string } | null} Stored What the server holds under the spec's key. */
/** @typedef {'completed' | 'failed' | 'corrupt' | 'hung' | 'untyped'} Verdict */

/**
 * A completed upload must have stored exactly its bytes. A failed one must have failed with a typed
 * error, and whatever it may have stored anyway (a complete whose answer was lost) must be exact too.
 * @param {UploadSpec} spec
 * @param {UploadReport} report
 * @param {Stored} stored
 * @returns {Verdict}
 */
export function judge(spec, report, stored) {
  if (report.outcome === 'hung') return 'hung'
  const exact = stored !== null && stored.fsize === spec.size && stored.md5 === expectedMd5(spec)
  if (report.outcome === 'completed') return exact ? 'completed' : 'corrupt'
  if (stored !== null && !exact) return 'corrupt'
  return report.kind === 'untyped' ? 'untyped' : 'failed'
}

export class Tally {
  completed = 0
  corrupt = 0
  hung = 0
  untyped = 0
  /** @type {Record<string, number>} Typed failures by UploadError kind. */
  failedByKind = {}
  /** @type {Array<{ spec: UploadSpec, report: UploadReport, verdict: Verdict }>} Everything but completed uploads. */
  notable = []

  /**
   * @param {UploadSpec} spec
   * @param {UploadReport} report
   * @param {Verdict} verdict
   */
  add(spec, report, verdict) {
    if (verdict === 'failed') this.failedByKind[report.kind ?? '?'] = (this.failedByKind[report.kind ?? '?'] ?? 0) + 1
    else this[verdict]++
    if (verdict !== 'completed') this.notable.push({ spec, report, verdict })
  }

  get failed() {
    return Object.values(this.failedByKind).reduce((sum, n) => sum + n, 0)
  }

  /** The run is good when nothing was corrupt, hung, or failed without a typed error. */
  get ok() {
    return this.corrupt === 0 && this.hung === 0 && this.untyped === 0
  }

  summary() {
    const kinds = Object.entries(this.failedByKind).map(([kind, n]) => `${kind} ${n}`).join(', ')
    return `completed ${this.completed}, failed with a typed error ${this.failed}${kinds ? ` (${kinds})` : ''}, corrupt ${this.corrupt}, hung ${this.hung}, untyped ${this.untyped}`
  }
}
