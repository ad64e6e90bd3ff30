import { AutoUploader, type AutoUploaderOptions } from '../auto/auto-uploader.js'
import { UploadManagerCore } from '../context/manager-core.js'
import { StreamDataSource } from '../sources/stream-source.js'
import { FormUploader, type FormUploaderOptions } from '../uploaders/form-uploader.js'
import { makeMultiPartsUploader, type MultiPartsChoice } from '../uploaders/multi-parts-factory.js'
import { MultiPartsV1Uploader } from '../uploaders/v1-uploader.js'
import { MultiPartsV2Uploader } from '../uploaders/v2-uploader.js'

export { contextOf, DEFAULT_UC_ENDPOINTS, type UploadAdapters, type UploadManagerOptions } from '../context/manager-core.js'

/**
 * The platform-free manager: holds the token, endpoints and the adapters it is given, and makes uploaders
 * of every kind (so an app that uses it bundles them all; `UploadManagerCore` makes none).
 * The public entry's `UploadManager` is this with the browser's adapters as defaults.
 */
export class BaseUploadManager extends UploadManagerCore {
  formUploader(options?: FormUploaderOptions): FormUploader {
    return new FormUploader(this, options)
  }

  /** A V2 (default) or V1 multi-part uploader; drive it with a scheduler. */
  multiPartsUploader(options: MultiPartsChoice = {}): MultiPartsV1Uploader | MultiPartsV2Uploader {
    return makeMultiPartsUploader(this, options)
  }

  /** Form upload, V2 (or V1) multi-part upload and streams: every uploader an AutoUploader can choose. */
  autoUploader(options: AutoUploaderOptions = {}): AutoUploader {
    const multiParts = options.multiPartsVersion === 'v1' ? MultiPartsV1Uploader : MultiPartsV2Uploader
    return new AutoUploader(this, { ...options, form: FormUploader, multiParts, streams: StreamDataSource })
  }
}
