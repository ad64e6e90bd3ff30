/** A running request that reported nothing for this long gets an estimate, raised this often (ms). */
export const ESTIMATE_TICK_MS = 250
/**
 * A running part counts at most this share of its bytes, estimated or reported: only the server's answer
 * says a part is done, and a transport reports bytes handed to the socket, which may hold megabytes.
 */
const CEILING = 0.9
/**
 * This many partial reports in a row, each within a tick of the one before, show the transport reports
 * progress as it goes (a burst of two or three happens in engines that report in socket-buffer steps).
 */
const PROMPT_REPORTS = 4

/** One request carrying a part, as far as its reports tell. */
interface Sending {
  size: number
  /** When the request started or last reported. */
  since: number
  /** The most bytes it reported sent. */
  reported: number
  /** Partial reports in a row that came within a tick of the one before. */
  promptReports: number
}

/**
 * Estimates of the bytes that running requests have sent, for transports that report a body's progress
 * rarely (Firefox reports about once per 4 MiB body on a fast link): a request that reported nothing for
 * a tick is assumed to go on at the link's measured pace from its last report. A part's estimate never
 * goes back and stays below 90 % of the part until the part is forgotten (done, or sent from scratch).
 * Once a request reports prompt partial progress, the transport needs no estimates: none are made for
 * this upload any more. Pure: the caller passes the clock and the pace.
 */
export class ProgressEstimate {
  readonly #sending = new Map<number, Sending>()
  readonly #estimates = new Map<number, number>()
  #transportReports = false

  /** A request carrying part `part` (of `size` bytes) starts at `now`. */
  start(part: number, size: number, now: number): void {
    this.#sending.set(part, { size, since: now, reported: 0, promptReports: 0 })
  }

  /** The transport reported `bytes` of the part's running request sent, at `now`. */
  report(part: number, bytes: number, now: number): void {
    const sending = this.#sending.get(part)
    if (!sending) return
    const partial = bytes > sending.reported && bytes < sending.size
    sending.promptReports = partial && now - sending.since < ESTIMATE_TICK_MS ? sending.promptReports + 1 : 0
    if (sending.promptReports >= PROMPT_REPORTS) this.#transportReports = true
    sending.since = now
    sending.reported = Math.max(sending.reported, bytes)
  }

  /** The part's request ended, answered or not: its estimate holds still until the part's next request. */
  stop(part: number): void {
    this.#sending.delete(part)
  }

  /** The part is done, or counted whole again: its estimate is dropped. */
  forget(part: number): void {
    this.#estimates.delete(part)
  }

  /** The upload starts over from the first byte: every estimate is dropped. */
  forgetAll(): void {
    this.#estimates.clear()
  }

  /** The estimates, by part number. */
  get estimates(): ReadonlyMap<number, number> {
    return this.#estimates
  }

  /** Raises the estimate of each request quiet for a tick to `now` at `bytesPerMs`; true when one rose. */
  advance(now: number, bytesPerMs: number | undefined): boolean {
    if (!this.#estimating(bytesPerMs)) return false
    let rose = false
    for (const [part, sending] of this.#sending) {
      const quiet = now - sending.since
      if (quiet < ESTIMATE_TICK_MS) continue
      const guess = Math.min(Math.floor(sending.reported + bytesPerMs! * quiet), ceiling(sending.size))
      if (guess <= (this.#estimates.get(part) ?? 0)) continue
      this.#estimates.set(part, guess)
      rose = true
    }
    return rose
  }

  /** ms until `advance` may raise an estimate, or undefined when none can rise (no timer is needed). */
  nextTick(now: number, bytesPerMs: number | undefined): number | undefined {
    if (!this.#estimating(bytesPerMs)) return undefined
    let next: number | undefined
    for (const [part, sending] of this.#sending) {
      const reached = Math.max(sending.reported, this.#estimates.get(part) ?? 0)
      if (reached >= ceiling(sending.size)) continue
      const quiet = now - sending.since
      const wait = quiet < ESTIMATE_TICK_MS ? ESTIMATE_TICK_MS - quiet : ESTIMATE_TICK_MS
      next = Math.min(next ?? wait, wait)
    }
    return next
  }

  #estimating(bytesPerMs: number | undefined): boolean {
    return !this.#transportReports && bytesPerMs !== undefined && bytesPerMs > 0
  }
}

/** The most bytes a running part of `size` bytes may count before its answer. */
export function ceiling(size: number): number {
  return Math.floor(size * CEILING)
}
