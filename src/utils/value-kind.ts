/** The platform's tag of `value` (`Blob`, `File`, `AbortSignal`, …): it holds for objects made in another frame too, where `instanceof` fails. */
export function tagOf(value: unknown): string {
  return Object.prototype.toString.call(value).slice(8, -1)
}

/** `value` as an error message shows it: `undefined`, `0`, `"V1"`, `ArrayBuffer`, `AbortController`, … */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (typeof value === 'function') return 'a function'
  if (value === null || typeof value !== 'object') return String(value)
  return Object.getPrototypeOf(value)?.constructor?.name || 'object'
}
