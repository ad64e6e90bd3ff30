import { UploadError } from '../errors.js'
import type { DataSource } from './data-source.js'

/**
 * A Blob or File, also one made in another window or frame (where `instanceof Blob` is false): the
 * platform's own tag tells.
 */
export function isBlob(value: unknown): value is Blob {
  const tag = Object.prototype.toString.call(value)
  return tag === '[object Blob]' || tag === '[object File]'
}

export function isDataSource(value: unknown): value is DataSource {
  const source = value as Partial<DataSource> | null
  return typeof source === 'object' && source !== null && typeof source.slice === 'function' && typeof source.totalSize === 'function' && typeof source.sourceKey === 'function'
}

/** What `value` is, for an error message: `undefined`, `null`, `string`, `ArrayBuffer`, … */
function describeInput(value: unknown): string {
  if (value === null || typeof value !== 'object') return value === null ? 'null' : typeof value
  return Object.getPrototypeOf(value)?.constructor?.name || 'object'
}

/** The `invalid-input` error for a call given something else than it `takes` (`input.files[0]` of an empty file input is `undefined`). */
export function invalidInput(where: string, takes: string, value: unknown): UploadError {
  const bytes = value instanceof ArrayBuffer || ArrayBuffer.isView(value) ? ' (wrap bytes in a Blob: `new Blob([bytes])`)' : ''
  return new UploadError('invalid-input', `${where} takes ${takes}; it was given ${describeInput(value)}${bytes}.`)
}

/** `value` as a data source, or `invalid-input`. */
export function checkDataSource(value: unknown, where: string): asserts value is DataSource {
  if (!isDataSource(value)) throw invalidInput(where, 'a DataSource (e.g. `new BlobDataSource(file)`)', value)
}
