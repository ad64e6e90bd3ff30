/**
 * `AbortSignal.any`, or the same from a controller where the browser lacks it (before Chrome 116,
 * Firefox 124, Safari 17.4: iOS 16 devices stay there). The fallback's listeners live as long as the
 * signals they listen to, that is, one upload.
 */
export function anySignal(signals: AbortSignal[]): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any(signals)
  const controller = new AbortController()
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason)
      break
    }
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true })
  }
  return controller.signal
}

/** `AbortSignal.timeout`, or the same from a timer where the browser lacks it (before Safari 16). */
export function timeoutSignal(ms: number): AbortSignal {
  if (typeof AbortSignal.timeout === 'function') return AbortSignal.timeout(ms)
  const controller = new AbortController()
  setTimeout(() => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')), ms)
  return controller.signal
}
