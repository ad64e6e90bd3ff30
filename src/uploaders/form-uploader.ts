import { fileChangedError, invalidInput, isUploadError } from '../errors.js'
import { isBlob } from '../sources/source-input.js'
import { checkObjectParams, paramsForScope, prefixedCustomVars, prefixedMetadata, type ObjectParams } from '../context/object-params.js'
import { contextOf, type UploadManagerCore } from '../context/manager-core.js'
import type { UploaderContext } from '../context/uploader-context.js'
import { regionsForUpload } from '../context/uploader-context.js'
import { checkSizeLimits, tokenPolicy } from '../tokens/token-limits.js'
import { formUpload } from '../protocol/form.js'
import { BLOCK_SIZE } from '../protocol/part-limits.js'
import { isLostAnswer, localObjectHash, maybeCommittedError } from './final-call.js'
import { checkObjectHash } from './object-hash.js'
import { ProgressTracker, progressEmitter } from './progress.js'
import type { KodoUploadBody, UploadResult } from './upload-result.js'
import { UploaderCallbacks } from './uploader-callbacks.js'

export interface FormUploaderOptions {
  /** Compute the object's Kodo hash locally and compare it with the server's (default true). */
  checkObjectHash?: boolean
}

/** One multipart/form-data POST with the whole file; the server checks its `crc32`. */
export class FormUploader extends UploaderCallbacks {
  readonly #ctx: UploaderContext
  readonly #checkObjectHash: boolean

  constructor(manager: UploadManagerCore, options: FormUploaderOptions = {}) {
    super()
    this.#ctx = contextOf(manager)
    this.#checkObjectHash = options.checkObjectHash ?? true
  }

  /** Sends the file to the bucket's first region, and to the next one after a failure that moving on may cure. */
  async upload<B extends object = KodoUploadBody>(file: Blob, params: ObjectParams = {}): Promise<UploadResult<B>> {
    if (!isBlob(file)) throw invalidInput('FormUploader.upload() takes a Blob or File', file)
    checkObjectParams(params)
    params = paramsForScope(params, this.#ctx.scope)
    const regions = await regionsForUpload(this.#ctx, params, this.request)
    const policy = await tokenPolicy(this.#ctx.tokens, { bucket: this.#ctx.bucket, objectName: params.objectName }, params.signal)
    checkSizeLimits(policy, file.size)
    const digest = await this.#ctx.hasher.digest(file, { crc32: true, sha1Blocks: this.#checkObjectHash }, params.signal)
    const progress = new ProgressTracker(file.size, progressEmitter(this.uploadProgress), { pace: () => this.#ctx.http.linkRate.bytesPerMs })
    const blockSizes = (digest.sha1Blocks ?? []).map((_, i) => Math.min(BLOCK_SIZE, file.size - i * BLOCK_SIZE))
    const blocks = (digest.sha1Blocks ?? []).map((block) => [block])
    // A token whose policy calls the app's server back makes the POST unsafe to send twice.
    const idempotent = typeof policy?.callbackUrl !== 'string'
    // The server takes the object's MIME type from the file part's Content-Type, which is the Blob's type.
    const typed = params.contentType ? file.slice(0, file.size, params.contentType) : file
    for (let index = 0; ; index++) {
      try {
        const { body } = await formUpload(
          {
            http: this.#ctx.http,
            tokens: this.#ctx.tokens,
            bucket: this.#ctx.bucket,
            objectName: params.objectName,
            endpoints: regions[index]!,
            signal: params.signal,
            callbacks: this.request,
          },
          {
            file: typed,
            fileName: params.fileName ?? (file as Partial<File>).name ?? 'untitled',
            metadata: prefixedMetadata(params),
            customVars: prefixedCustomVars(params),
            crc32: digest.crc32,
            idempotent,
          },
          // The body is larger than the file by the form's framing; progress counts file bytes.
          progress.body(1, file.size),
        )
        progress.complete(1, file.size)
        // The server hashes a form upload by 4 MiB blocks, as if each block were a part.
        if (this.#checkObjectHash && digest.sha1Blocks) await checkObjectHash(body, blocks, blockSizes, this.#ctx.warn)
        return body as UploadResult<B>
      } catch (error) {
        if (!idempotent && isLostAnswer(error)) {
          throw maybeCommittedError({ api: 'form', key: params.objectName, hash: await localObjectHash(blocks, blockSizes), cause: error })
        }
        // 406: the server's crc32 of the body differs from the one sent. A file changed on disk after it was hashed
        // (Firefox sends its new bytes without an error) is told as such; trying again cannot help it.
        if (isUploadError(error, 'status') && error.statusCode === 406 && (await this.#changed(file, digest.crc32, params.signal))) {
          throw fileChangedError(error)
        }
        const next = index + 1 < regions.length && isUploadError(error) && error.retryable && error.kind !== 'aborted'
        if (!next) throw error
      }
    }
  }

  /** Whether `file` no longer hashes to `crc32` (or cannot be read any more). */
  async #changed(file: Blob, crc32: number | undefined, signal?: AbortSignal): Promise<boolean> {
    try {
      return (await this.#ctx.hasher.digest(file, { crc32: true }, signal)).crc32 !== crc32
    } catch (error) {
      if (isUploadError(error, 'aborted')) throw error
      return true
    }
  }
}
