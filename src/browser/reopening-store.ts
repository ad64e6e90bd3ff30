import { createStore, type UseStore } from 'idb-keyval'
import { withTimeout } from '../utils/delay.js'

/** Failures in a row (each on a newly opened store) after which a store is given up. */
const MAX_FAILURES = 2

/** An operation that has not settled after this long failed (a blocked open, a stuck connection): no upload waits on IndexedDB for ever. */
export const STORE_TIMEOUT_MS = 10_000

/** Runs one operation on the store; resolves with `fallback` once the store is given up. */
export type RunOnStore = <T>(operation: (store: UseStore) => Promise<T>, fallback: T) => Promise<T>

/**
 * An idb-keyval store that never fails its caller, nor keeps it waiting past `timeout`. It opens on first
 * use (`prepare` runs on each newly opened store, e.g. a purge). After a failure it opens the store again
 * and retries: a page open for days sees its connection close now and then (iOS Safari), and a new
 * connection fixes that. Two failures in a row give it up for good, with one warning (a broken profile,
 * a private window); so does one operation that does not settle within `timeout` (an open blocked for good).
 */
export function reopeningStore(
  dbName: string,
  storeName: string,
  warn: (cause: unknown) => void,
  options: { prepare?: (store: UseStore) => Promise<unknown>; timeout?: number } = {},
): RunOnStore {
  const timeout = options.timeout ?? STORE_TIMEOUT_MS
  let current: Promise<UseStore> | undefined
  let failures = 0
  const open = async () => {
    const store = createStore(dbName, storeName)
    await options.prepare?.(store)
    return store
  }
  return async (operation, fallback) => {
    while (failures < MAX_FAILURES) {
      const opening = (current ??= open())
      let stalled = false
      try {
        const result = await withTimeout(opening.then((store) => operation(store)), timeout, () => {
          stalled = true
          return new Error(`IndexedDB did not answer within ${timeout} ms.`)
        })
        failures = 0
        return result
      } catch (error) {
        // Operations running together fail together: only the first one counts and drops the store.
        if (current !== opening) continue
        current = undefined
        // An IndexedDB that does not answer at all is given up at once: a new connection would only make the upload wait again.
        failures = stalled ? MAX_FAILURES : failures + 1
        if (failures === MAX_FAILURES) warn(error)
      }
    }
    return fallback
  }
}
