export const KiB = 1024
export const MiB = 1024 * KiB
export const GiB = 1024 * MiB

/** Kodo's multi-part limits (V2): part sizes and how many parts one upload may have. */
export const MIN_PART_SIZE = MiB
export const MAX_PART_SIZE = GiB
export const MAX_PARTS = 10_000
/** V1 blocks, and the qetag's block, are always 4 MiB. */
export const BLOCK_SIZE = 4 * MiB

/** The smallest part size (whole MiB) that fits the rest of a source of `total` bytes, from `offset` on, into the parts left. */
export function neededPartSize(total: number | undefined, offset: number, partNumber: number): number {
  if (total === undefined) return 0
  return Math.ceil((total - offset) / (MAX_PARTS - partNumber + 1) / MiB) * MiB
}

/** The part size when none is asked for. */
export const DEFAULT_PART_SIZE = 4 * MiB
