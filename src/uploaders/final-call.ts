import { UploadError, isUploadError } from '../errors.js'
import { qetagFromParts } from '../protocol/qetag.js'
import type { UploadedPart } from './multi-parts-uploader.js'

/**
 * What the final call (completeParts, mkfile) needs around it: the parts must tile the source
 * exactly, and an answer that never arrived must not be taken for a failure, since the call may
 * have taken effect.
 */

/** Parts sorted by part number must start at 0, follow each other without gap or overlap, and add up to the source. */
export function assertContiguous(parts: UploadedPart[], totalSize: number | undefined): void {
  let offset = 0
  for (const part of parts) {
    if (part.offset !== offset || !(part.size > 0)) {
      throw new UploadError('integrity', `Part ${part.partNumber} starts at byte ${part.offset}, but the parts before it end at ${offset}: nothing was committed.`, {
        partNumber: part.partNumber,
        retryDecision: 'dont-retry',
      })
    }
    offset += part.size
  }
  if (totalSize !== undefined && offset !== totalSize) {
    throw new UploadError('integrity', `The parts add up to ${offset} bytes, but the source has ${totalSize}: nothing was committed.`, {
      retryDecision: 'dont-retry',
    })
  }
}

/** The request went out and no usable answer came back (reset, stall, a cut-off body): it may have taken effect. */
export function isLostAnswer(error: unknown): error is UploadError {
  return isUploadError(error) && (error.kind === 'network' || error.kind === 'timeout' || error.kind === 'parse')
}

/** The object's Kodo hash from the parts' block digests, or undefined when some part's blocks were not hashed. */
export async function localObjectHash(blocks: Array<Uint8Array[] | undefined>, sizes: number[]): Promise<string | undefined> {
  if (blocks.length === 0 || blocks.some((digests) => digests === undefined)) return undefined
  try {
    return await qetagFromParts(blocks as Uint8Array[][], sizes)
  } catch {
    return undefined // no SHA-1 here (no secure context): the error simply carries no hash
  }
}

export function maybeCommittedError(args: { api: string; key?: string; hash?: string; cause?: unknown }): UploadError {
  const what = args.key === undefined ? 'the object' : `"${args.key}"`
  return new UploadError(
    'maybe-committed',
    `${args.api} was sent but its answer was lost, and the server no longer knows the upload: ${what} was very likely stored` +
      `${args.hash ? ` (expected hash ${args.hash})` : ''}. Check with your backend; the record is kept: upload() asks again, cancel() forgets it.`,
    { api: args.api, key: args.key, hash: args.hash, cause: args.cause, retryDecision: 'dont-retry' },
  )
}

/**
 * Sends the final call. It is not idempotent: after a lost answer it is sent again (at most twice)
 * only when the server shows that it did not take effect; otherwise the upload ends `maybe-committed`.
 */
export async function sendFinalCall<R>(args: { send: () => Promise<R>; didNotHappen: () => Promise<boolean>; key?: string; hash?: string }): Promise<R> {
  let lost: UploadError | undefined
  for (let sends = 0; sends < 3; sends++) {
    if (lost && !(await args.didNotHappen().catch(() => false))) break
    try {
      return await args.send()
    } catch (error) {
      if (!isLostAnswer(error)) throw error
      lost = error
    }
  }
  throw maybeCommittedError({ api: lost!.api ?? 'complete', key: args.key, hash: args.hash, cause: lost })
}
