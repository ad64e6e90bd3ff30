import type { UploadManagerCore } from '../context/manager-core.js'
import type { MultiPartsUploaderOptions } from './multi-parts-uploader.js'
import { MultiPartsV1Uploader } from './v1-uploader.js'
import { MultiPartsV2Uploader } from './v2-uploader.js'

export interface MultiPartsChoice extends MultiPartsUploaderOptions {
  /** Default 'v2'. */
  version?: 'v1' | 'v2'
}

/** A V2 (default) or V1 multi-part uploader of `manager`; drive it with a scheduler. */
export function makeMultiPartsUploader(manager: UploadManagerCore, options: MultiPartsChoice = {}): MultiPartsV1Uploader | MultiPartsV2Uploader {
  return options.version === 'v1' ? new MultiPartsV1Uploader(manager, options) : new MultiPartsV2Uploader(manager, options)
}
