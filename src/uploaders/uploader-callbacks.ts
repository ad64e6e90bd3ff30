import { CallbackList, requestCallbacks, type RequestCallbacks, type RequestInfo, type ResponseInfo, type RetryInfo } from '../http/callbacks.js'
import type { UploadProgress } from './progress.js'
import type { UploadError } from '../errors.js'
import type { UploadedPart } from './multi-parts-uploader.js'

/** The callbacks every uploader offers, chainable: `uploader.onUploadProgress(f).onPartUploaded(g)`. */
export class UploaderCallbacks {
  readonly uploadProgress = new CallbackList<UploadProgress>()
  readonly partUploaded = new CallbackList<UploadedPart>()
  readonly startOver = new CallbackList<UploadError>()
  readonly request: RequestCallbacks = requestCallbacks()

  onUploadProgress(listener: (progress: UploadProgress) => void): this {
    this.uploadProgress.add(listener)
    return this
  }

  /** After each part, including parts taken from a resumable record (`resumed: true`). */
  onPartUploaded(listener: (part: UploadedPart) => void | Promise<void>): this {
    this.partUploaded.add(listener)
    return this
  }

  /**
   * The upload starts over from the first byte, with the reason: the parts a resumed upload relied on
   * are gone from the server, or the upload moves to another region. Progress holds still until the new
   * attempt passes it.
   */
  onStartOver(listener: (reason: UploadError) => void | Promise<void>): this {
    this.startOver.add(listener)
    return this
  }

  /** Once per API call, before its first attempt; may edit headers and query. */
  onBeforeRequest(listener: (request: RequestInfo) => void | Promise<void>): this {
    this.request.beforeRequest.add(listener)
    return this
  }

  /** Once per API call that succeeded (after retries). */
  onResponseOk(listener: (response: ResponseInfo) => void | Promise<void>): this {
    this.request.responseOk.add(listener)
    return this
  }

  /** Once per API call that failed for good (after retries). */
  onResponseError(listener: (error: UploadError) => void | Promise<void>): this {
    this.request.responseError.add(listener)
    return this
  }

  /** Each failed attempt that will be retried, or that waits for the network: which request, why, attempt n of m, the wait. */
  onRetry(listener: (retry: RetryInfo) => void): this {
    this.request.retry.add(listener)
    return this
  }

  /** Copies every listener of `other` into this one (the auto uploader hands its callbacks on). */
  adopt(other: UploaderCallbacks): this {
    this.uploadProgress.addAll(other.uploadProgress)
    this.partUploaded.addAll(other.partUploaded)
    this.startOver.addAll(other.startOver)
    this.request.beforeRequest.addAll(other.request.beforeRequest)
    this.request.responseOk.addAll(other.request.responseOk)
    this.request.responseError.addAll(other.request.responseError)
    this.request.retry.addAll(other.request.retry)
    return this
  }
}
