import type { UploaderContext } from '../context/uploader-context.js'
import type { ResumableRecorder } from '../recorders/recorder.js'
import type { MultiPartsUploaderOptions } from './multi-parts-base.js'
import { MultiPartsV1Uploader } from './v1-uploader.js'
import { MultiPartsV2Uploader } from './v2-uploader.js'

export interface MultiPartsChoice extends MultiPartsUploaderOptions {
  /** Default 'v2'. */
  version?: 'v1' | 'v2'
  /** Where resumable records go (default: the context's). */
  recorder?: ResumableRecorder
}

/** A V2 (default) or V1 multi-part uploader over `ctx`; drive it with a scheduler. */
export function makeMultiPartsUploader(ctx: UploaderContext, options: MultiPartsChoice = {}): MultiPartsV1Uploader | MultiPartsV2Uploader {
  const { version, recorder = ctx.recorder, ...rest } = options
  return version === 'v1' ? new MultiPartsV1Uploader(ctx, recorder, rest) : new MultiPartsV2Uploader(ctx, recorder, rest)
}
