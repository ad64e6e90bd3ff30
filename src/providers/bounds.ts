import { invalidInput, UploadError } from '../errors.js'

/** Throws `invalid-input` unless every bound is `valid` and min ≤ initial ≤ max. */
export function checkBounds(bounds: { min: number; initial: number; max: number }, valid: (value: number) => boolean, unit: string): void {
  for (const [name, value] of Object.entries(bounds)) if (!valid(value)) throw invalidInput(`\`${name}\` is ${unit}`, value)
  if (!(bounds.min <= bounds.initial && bounds.initial <= bounds.max)) {
    throw new UploadError('invalid-input', `The bounds must keep min ≤ initial ≤ max; they were ${bounds.min}, ${bounds.initial}, ${bounds.max}.`)
  }
}
