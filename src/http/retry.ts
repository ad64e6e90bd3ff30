import type { RetryDecision } from '../errors.js'

/**
 * The seed's decision table for a status code (seed-crate §c.5), with two changes for browsers:
 * 406 (crc mismatch: the bytes were damaged in flight) is retried, and 429 counts as throttling.
 */
export function decideForStatus(status: number): RetryDecision {
  if (status === 406) return 'retry-request'
  if (status === 429 || status === 509 || status === 573) return 'throttled'
  if (status >= 400 && status < 500) return 'dont-retry'
  if (status === 501 || status === 579) return 'dont-retry'
  if (status >= 500 && status < 600) return 'try-next-server'
  if (status >= 600) return 'dont-retry' // 608, 612, 614, 630..640, 701: the request itself is wrong
  return 'dont-retry'
}

/** Statuses after which the upload should lower its concurrency for a while. */
export function isThrottling(status: number | undefined): boolean {
  return status === 429 || status === 503 || status === 509 || status === 573
}
