import { abortedError } from '../errors.js'

/** Resolves after `ms`, or rejects at once with an `aborted` UploadError when the signal fires. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(signal))
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortedError(signal))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * The seed's backoff: 100 ms × 2^attempt, times a random factor in [0.5, 1.5), at most 5 minutes.
 * Jitter keeps many lanes (and many browsers) from retrying in lockstep.
 */
export function backoffDelay(attempt: number, baseMs = 100, random: () => number = Math.random): number {
  const exponential = baseMs * 2 ** Math.min(attempt, 20)
  return Math.min(exponential * (0.5 + random()), 300_000)
}

/** `promise`, or a rejection with `timedOut()` if it has not settled after `ms` (0: never). */
export function withTimeout<T>(promise: Promise<T>, ms: number, timedOut: () => unknown): Promise<T> {
  if (ms <= 0) return promise
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), ms)
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}
