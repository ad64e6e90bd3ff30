/** Throws a RangeError unless every bound is `valid` and min ≤ initial ≤ max. */
export function checkBounds(bounds: { min: number; initial: number; max: number }, valid: (value: number) => boolean, unit: string): void {
  for (const [name, value] of Object.entries(bounds)) if (!valid(value)) throw new RangeError(`${name} must be ${unit}, got ${value}`)
  if (!(bounds.min <= bounds.initial && bounds.initial <= bounds.max)) throw new RangeError('min <= initial <= max, please')
}
