import { invalidInput } from '../errors.js'
import { tagOf } from '../utils/value-kind.js'
import type { DataSource } from './data-source.js'

/** A Blob or File, also one made in another window or frame (where `instanceof Blob` is false). */
export function isBlob(value: unknown): value is Blob {
  const tag = tagOf(value)
  return tag === 'Blob' || tag === 'File'
}

export function isDataSource(value: unknown): value is DataSource {
  const source = value as Partial<DataSource> | null
  return typeof source === 'object' && source !== null && typeof source.slice === 'function' && typeof source.totalSize === 'function' && typeof source.sourceKey === 'function'
}

/** `value` as a data source, or `invalid-input`. */
export function checkDataSource(value: unknown, where: string): asserts value is DataSource {
  if (!isDataSource(value)) throw invalidInput(`${where} takes a DataSource (e.g. \`new BlobDataSource(file)\`)`, value)
}
