import { UploadError } from '../errors.js'
import { BLOCK_SIZE, DEFAULT_PART_SIZE, MAX_PART_SIZE, MIN_PART_SIZE, MiB, neededPartSize } from '../protocol/part-limits.js'

export type MultiPartsVersion = 'v1' | 'v2'

/** The part size a protocol uses for `requested`: V1 always 4 MiB blocks, V2 1 MiB .. 1 GiB. */
export function normalizePartSize(version: MultiPartsVersion, requested: number): number {
  return version === 'v1' ? BLOCK_SIZE : Math.min(Math.max(requested, MIN_PART_SIZE), MAX_PART_SIZE)
}

/** Throws `invalid-input` for a part-size provider's answer the protocol cannot use. */
export function checkPartSize(version: MultiPartsVersion, size: number): void {
  if (!Number.isSafeInteger(size) || size <= 0) {
    throw new UploadError('invalid-input', `The part-size provider answered ${String(size)}: a part size is a positive integer of bytes.`)
  }
  if (version === 'v2' && (size < MIN_PART_SIZE || size > MAX_PART_SIZE)) {
    throw new UploadError('invalid-input', `The part-size provider answered ${size} bytes: V2 parts are 1 MiB to 1 GiB (${MiB}..${MAX_PART_SIZE}).`)
  }
}

/**
 * The size of part `partNumber` starting at `offset` of a `total`-byte source: the requested size (checked),
 * normalized for the protocol, and grown when the parts left would not fit in 10 000.
 */
export function partSizeAt(version: MultiPartsVersion, requested: number, total: number | undefined, offset: number, partNumber: number): number {
  checkPartSize(version, requested)
  return normalizePartSize(version, Math.max(requested, neededPartSize(total, offset, partNumber)))
}

/** How a file of `size` bytes is cut into parts. */
export interface PartsPlan {
  partSize: number
  parts: number
}

/**
 * The part layout the multi-part uploaders use for a `size`-byte file with a fixed part size (default 4 MiB):
 * V2 parts grow when 10 000 of them would not hold the file; V1 parts are always 4 MiB.
 */
export function planParts(size: number, options: { version?: MultiPartsVersion; partSize?: number } = {}): PartsPlan {
  const partSize = partSizeAt(options.version ?? 'v2', options.partSize ?? DEFAULT_PART_SIZE, size, 0, 1)
  return { partSize, parts: Math.ceil(size / partSize) }
}
