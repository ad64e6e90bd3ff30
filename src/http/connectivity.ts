/** Whether the device is online; lets requests wait out an outage instead of burning retries. */
export interface Connectivity {
  isOffline(): boolean
  /** Resolves when the device may be back online; rejects when `signal` aborts. */
  waitUntilOnline(signal?: AbortSignal): Promise<void>
  /**
   * Calls `listener` each time the device goes offline; returns the unsubscribe function. With it, requests
   * in flight (those safe to send twice) are stopped at once and wait for the network, rather than hanging
   * until their stall timeout.
   */
  onOffline?(listener: () => void): () => void
}

/** The reason a request was stopped because the device went offline (its retry waits for the network and is not counted). */
export class WentOfflineError extends Error {
  override readonly name = 'WentOfflineError'
}
