import type { RetryDecision } from '../errors.js'

/** "Slow down" answers: Kodo's 509 and 573, and HTTP's 429 (the library's addition to the seed's table). */
const THROTTLING_STATUSES = new Set([429, 509, 573])

/**
 * The seed's decision table for a status code (seed-crate §c.5), with one change for browsers:
 * 429 counts as throttling. Every other 4xx (406 included) and 6xx is an answer, not a failure to answer.
 */
export function decideForStatus(status: number): RetryDecision {
  if (THROTTLING_STATUSES.has(status)) return 'throttled'
  if (status >= 400 && status < 500) return 'dont-retry'
  if (status === 501 || status === 579) return 'dont-retry'
  if (status >= 500 && status < 600) return 'try-next-server' // 503 included: that host is unavailable, the next may not be
  return 'dont-retry' // 608, 612, 614, 630..640, 701: the request itself is wrong
}

/** Statuses after which the upload lowers its concurrency for a while: the throttling ones, and only those. */
export function isThrottling(status: number | undefined): boolean {
  return status !== undefined && THROTTLING_STATUSES.has(status)
}
