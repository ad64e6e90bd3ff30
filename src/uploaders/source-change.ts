import { fileChangedError, isUploadError } from '../errors.js'
import type { PartsState } from './parts-state.js'

/**
 * Before the final call: parts read before and after a file changed on disk would make one object of two
 * versions of it (Firefox reads the new bytes without an error). The record is kept: the parts are still
 * good for the file as it was, should it come back.
 */
export async function assertSourceUnchanged(state: PartsState): Promise<void> {
  if (await state.source.changed?.(state.params.signal)) throw fileChangedError()
}

/**
 * An upload's failure, or in its place `local-io` when the source changed: the server's Content-MD5 mismatch
 * (Firefox hashed one version and sent another) is then the file's doing, and trying again cannot help.
 * Asked once the lanes have stopped (with the caller's signal: the attempt's own has fired).
 */
export async function explainFailure(state: PartsState, error: unknown): Promise<unknown> {
  if (!isUploadError(error) || error.kind === 'aborted' || error.kind === 'local-io') return error
  try {
    return (await state.source.changed?.(state.params.signal)) ? fileChangedError(error) : error
  } catch {
    return error
  }
}
