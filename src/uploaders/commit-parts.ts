import { isUploadError, type UploadError } from '../errors.js'
import { assertContiguous, localObjectHash, maybeCommittedError, sendFinalCall } from './final-call.js'
import type { UploadedPart } from './multi-parts-uploader.js'
import { checkObjectHash } from './object-hash.js'
import type { PartsState } from './parts-state.js'
import type { UploadResult } from './upload-result.js'
import type { WarningCallback } from '../warnings.js'

/** The protocol's final call, as committing the parts needs it. */
export interface FinalCall<P extends UploadedPart> {
  /** Sends the final call (V2 completeParts, V1 mkfile) with the parts in order. */
  finish(parts: P[]): Promise<UploadResult>
  /** After the final call's answer was lost: true when the server shows that it did not take effect. */
  didNotHappen(): Promise<boolean>
  /** Compare the server's hash with the one computed locally. */
  checkObjectHash: boolean
  /** Told when the answer has no hash to compare. */
  warn: WarningCallback
  /** The server answered that the upload is gone (V2: 612; V1: 701 for ctxs of this attempt): maybe an earlier copy of this very call took effect. */
  answeredGone(error: unknown): error is UploadError
}

/**
 * Ends an upload: the parts in order (resumed parts replaced by their checked copies), the local hash kept in
 * the record as `committing` before the final call goes out (so a lost answer is never sent twice blindly),
 * the record forgotten once committed, and the server's hash checked.
 */
export async function commitParts<P extends UploadedPart>(state: PartsState, parts: P[], call: FinalCall<P>): Promise<UploadResult> {
  const replaced = new Map<number, P>()
  for (const part of await Promise.all(state.checks)) if (part) replaced.set(part.partNumber, part as P)
  const final = parts.map((part) => replaced.get(part.partNumber) ?? part).sort((a, b) => a.partNumber - b.partNumber)
  assertContiguous(final, state.source.totalSize())
  const blocks = final.map((part) => state.blockDigests.get(part.partNumber))
  const sizes = final.map((part) => part.size)
  const hash = await localObjectHash(blocks, sizes)
  state.record = { ...state.record, committing: { hash } }
  state.writer?.write(state.record)
  await state.writer?.flush()
  let result: UploadResult
  try {
    result = await sendFinalCall({
      send: () => call.finish(final),
      didNotHappen: async () => {
        if (!(await call.didNotHappen())) return false
        // The host that lost the answer goes last: it may be the one that cannot be reached.
        const [first, ...rest] = state.upEndpoints.preferred
        if (first !== undefined) state.upEndpoints = { ...state.upEndpoints, preferred: [...rest, first] }
        return true
      },
      key: state.params.objectName,
      hash,
    })
  } catch (error) {
    // The upload existed moments ago: the likeliest cause is a first copy of this call that took effect (a browser
    // resends a request whose connection dropped before any answer). Starting over could store the object twice.
    if (call.answeredGone(error)) throw maybeCommittedError({ api: error.api ?? 'completeParts', key: state.params.objectName, hash, cause: error })
    // The server answered with an error: the call did not take effect, the record may be resumed as usual.
    if (isUploadError(error, 'status')) state.writer?.write((state.record = { ...state.record, committing: undefined }))
    throw error
  }
  await state.writer?.delete() // committed: whatever the hash check says, there is nothing left to resume
  if (call.checkObjectHash) await checkObjectHash(result, blocks, sizes, call.warn)
  return result
}
