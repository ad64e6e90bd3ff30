import type { TabLocks } from '../queue/tab-locks.js'

/** Web Locks: released by the browser when the holding tab closes or crashes. */
export function webLocks(locks: LockManager): TabLocks {
  return {
    supported: true,
    async tryWith(name, task) {
      const outcome = await locks.request(name, { ifAvailable: true }, async (lock) => (lock ? { acquired: true as const, value: await task() } : undefined))
      return outcome ?? { acquired: false }
    },
    async waitUntilFree(name, signal) {
      await locks.request(name, { signal }, () => undefined)
    },
  }
}
