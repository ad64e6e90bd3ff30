import { invalidInput } from '../errors.js'

/** `value`, or `invalid-input` unless it is a positive integer (`what`: the option, e.g. "`concurrency`"). */
export function positiveInteger(value: unknown, what: string): number {
  if (!Number.isSafeInteger(value) || (value as number) <= 0) throw invalidInput(`${what} is a positive integer`, value)
  return value as number
}
