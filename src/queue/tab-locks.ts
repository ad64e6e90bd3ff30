/**
 * One upload at a time across the tabs of an origin: a lock per upload, held while it sends.
 * The browser adapter uses Web Locks (`navigator.locks`).
 */
export interface TabLocks {
  /** False when the browser has no Web Locks: two tabs may then upload the same file at once. */
  readonly supported: boolean
  /** Runs `task` holding `name`; when another tab holds it, returns `{ acquired: false }` at once. */
  tryWith<T>(name: string, task: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>
  /** Resolves once nobody holds `name` (the other tab finished or closed); rejects when `signal` aborts. */
  waitUntilFree(name: string, signal: AbortSignal): Promise<void>
}

/** No coordination between tabs (no Web Locks, or outside a browser). */
export const noTabLocks: TabLocks = {
  supported: false,
  tryWith: async (_name, task) => ({ acquired: true, value: await task() }),
  waitUntilFree: async () => {},
}
