/** Whether the device is online; lets requests wait out an outage instead of burning retries. */
export interface Connectivity {
  isOffline(): boolean
  /** Resolves when the device may be back online; rejects when `signal` aborts. */
  waitUntilOnline(signal?: AbortSignal): Promise<void>
}

