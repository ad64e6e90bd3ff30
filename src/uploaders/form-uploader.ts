import { checkObjectName, prefixedCustomVars, prefixedMetadata, type ObjectParams } from '../manager/object-params.js'
import type { UploaderContext } from '../manager/upload-manager.js'
import { regionsForUpload } from '../manager/region-resolver.js'
import { formUpload } from '../protocol/form.js'
import { BLOCK_SIZE } from '../utils/sizes.js'
import { checkObjectHash } from './object-hash.js'
import { ProgressTracker } from './progress.js'
import { UploaderCallbacks } from './uploader-callbacks.js'

export interface FormUploaderOptions {
  /** Compute the object's Kodo hash locally and compare it with the server's (default true). */
  checkObjectHash?: boolean
}

/** One multipart/form-data POST with the whole file; the server checks its `crc32`. */
export class FormUploader extends UploaderCallbacks {
  readonly #ctx: UploaderContext
  readonly #checkObjectHash: boolean

  constructor(ctx: UploaderContext, options: FormUploaderOptions = {}) {
    super()
    this.#ctx = ctx
    this.#checkObjectHash = options.checkObjectHash ?? true
  }

  async upload(file: Blob, params: ObjectParams = {}): Promise<unknown> {
    checkObjectName(params.objectName)
    const regions = await regionsForUpload(this.#ctx, params, this.request)
    const digest = await this.#ctx.hasher.digest(file, { crc32: true, sha1Blocks: this.#checkObjectHash }, params.signal)
    const progress = new ProgressTracker(file.size, (p) => this.uploadProgress.emitSync(p))
    const { body } = await formUpload(
      {
        http: this.#ctx.http,
        tokens: this.#ctx.tokens,
        bucket: this.#ctx.bucket,
        objectName: params.objectName,
        endpoints: regions[0]!,
        signal: params.signal,
        callbacks: this.request,
      },
      {
        // The server takes the object's MIME type from the file part's Content-Type, which is the Blob's type.
        file: params.contentType ? file.slice(0, file.size, params.contentType) : file,
        fileName: params.fileName ?? (file as Partial<File>).name ?? 'untitled',
        metadata: prefixedMetadata(params),
        customVars: prefixedCustomVars(params),
        crc32: digest.crc32,
      },
      // The body is larger than the file by the form's framing; progress counts file bytes.
      (sent) => progress.update(1, Math.min(sent, file.size)),
    )
    progress.complete(1, file.size)
    // The server hashes a form upload by 4 MiB blocks, as if each block were a part.
    if (this.#checkObjectHash && digest.sha1Blocks) {
      const blockSizes = digest.sha1Blocks.map((_, i) => Math.min(BLOCK_SIZE, file.size - i * BLOCK_SIZE))
      await checkObjectHash(body, digest.sha1Blocks.map((block) => [block]), blockSizes)
    }
    return body
  }
}
