// Imported first by old-engines.test.ts: takes AbortSignal.any and AbortSignal.timeout away before the
// library and ky load (ky checks for AbortSignal.any once, when it loads), as on an iOS 16 device.
Object.assign(AbortSignal, { any: undefined, timeout: undefined })
