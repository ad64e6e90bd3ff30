import type { Connectivity } from '../http/connectivity.js'
import { delay } from '../utils/delay.js'

/**
 * The browser's view: `navigator.onLine` is only trusted when it says offline (a `false` is
 * reliable, a `true` is not), and the wait ends on the `online` event or a periodic re-check.
 */
export function browserConnectivity(recheckMs = 5_000): Connectivity {
  return {
    isOffline: () => globalThis.navigator?.onLine === false,
    waitUntilOnline: async (signal) => {
      while (globalThis.navigator?.onLine === false) {
        const online = new Promise<void>((resolve) => globalThis.addEventListener('online', () => resolve(), { once: true }))
        await Promise.race([online, delay(recheckMs, signal)])
        if (signal?.aborted) await delay(0, signal)
      }
    },
    onOffline: (listener) => {
      globalThis.addEventListener?.('offline', listener)
      return () => globalThis.removeEventListener?.('offline', listener)
    },
  }
}
