import { UploadError, markPartsExpired } from '../errors.js'
import type { Digest } from '../hashing/hasher.js'
import { prefixedCustomVars, prefixedMetadata } from '../context/object-params.js'
import * as v2 from '../protocol/v2.js'
import type { RecordedPart, ResumableRecord } from '../recorders/recorder.js'
import type { DataSourcePart } from '../sources/data-source.js'
import { MAX_PART_SIZE, MAX_PARTS } from '../protocol/part-limits.js'
import { MultiPartsUploaderBase } from './multi-parts-base.js'
import type { UploadedPart } from './multi-parts-uploader.js'
import type { UploadResult } from './upload-result.js'
import type { PartsState } from './parts-state.js'

export interface V2UploadedPart extends UploadedPart {
  responseBody: { etag: string; md5: string }
}

/** Multi-part upload V2: initParts, uploadPart (with Content-MD5), completeParts, listParts, abort. */
export class MultiPartsV2Uploader extends MultiPartsUploaderBase<V2UploadedPart> {
  readonly version = 'v2'

  protected async begin(state: PartsState): Promise<void> {
    const size = state.source.totalSize()
    if (size === 0) {
      throw new UploadError('invalid-input', 'An empty source cannot be uploaded in parts (Kodo rejects a V2 complete without parts): use the form upload.')
    }
    if (size !== undefined && size > MAX_PARTS * MAX_PART_SIZE) {
      throw new UploadError('invalid-input', `The source is larger than Kodo's V2 maximum (10 000 parts of 1 GiB).`)
    }
    const { body } = await v2.initParts(this.target(state))
    state.record = { ...state.record, uploadId: body.uploadId, expireAt: body.expireAt }
  }

  /**
   * The server's list of parts wins over the record: recorded parts it holds with the same etag are
   * reused (their bytes checked again by md5); listed parts the record missed are reused only when
   * the local bytes at their place prove to be theirs (see `ListedOnServer`). Any failure: start afresh.
   */
  protected async adoptRecord(state: PartsState, record: ResumableRecord): Promise<boolean> {
    if (!record.uploadId) return false
    let listed: v2.ListedPart[]
    try {
      listed = await v2.listParts(this.target(state), record.uploadId)
    } catch (error) {
      // The server forgot the upload: the record's parts are gone, and the upload starts afresh.
      throw uploadGone(error) ? markPartsExpired(error) : error
    }
    const onServer = new Map(listed.map((part) => [part.partNumber, part]))
    for (const part of record.parts) {
      const held = onServer.get(part.partNumber)
      if (held && part.md5 && held.etag === part.etag && held.size === part.size) {
        state.resumable.set(part.offset, part)
        onServer.delete(part.partNumber)
      }
    }
    for (const part of onServer.values()) state.listed.set(part.partNumber, { size: part.size, etag: part.etag, md5: part.md5 })
    return true
  }

  /** The upload is still listed, so the complete did not take effect (a completed upload is gone: 612). */
  protected async finishDidNotHappen(state: PartsState): Promise<boolean> {
    await v2.listParts(this.target(state), state.record.uploadId!)
    return true
  }

  protected async sendPart(state: PartsState, part: DataSourcePart, digest: Digest): Promise<{ uploaded: V2UploadedPart; recorded: RecordedPart }> {
    const { body } = await v2.uploadPart(this.target(state), {
      uploadId: state.record.uploadId!,
      partNumber: part.partNumber,
      blob: part.blob,
      md5: digest.md5,
      progress: state.progress.body(part.partNumber, part.size),
    })
    if (digest.md5 && body.md5 && body.md5.toLowerCase() !== digest.md5) {
      throw new UploadError('malicious-response', `Part ${part.partNumber}: the server stored md5 ${body.md5}, but ${digest.md5} was sent.`, {
        api: 'uploadPart',
        retryDecision: 'retry-request',
      })
    }
    const recorded: RecordedPart = { offset: part.offset, size: part.size, partNumber: part.partNumber, md5: digest.md5!, etag: body.etag }
    return { uploaded: this.resumedPart(recorded, false), recorded }
  }

  protected resumedPart(recorded: RecordedPart, resumed = true): V2UploadedPart {
    const { offset, size, partNumber, etag = '', md5 } = recorded
    return { offset, size, partNumber, resumed, responseBody: { etag, md5 } }
  }

  protected async finish(state: PartsState, parts: V2UploadedPart[]): Promise<UploadResult> {
    if (parts.length === 0) {
      throw new UploadError('invalid-input', 'The source was empty: Kodo rejects a V2 complete without parts; use the form upload.')
    }
    const described = state.source.describe()
    const fname = state.params.fileName ?? described.name
    const mimeType = state.params.contentType ?? described.type
    const { body } = await v2.completeParts(this.target(state), state.record.uploadId!, {
      parts: parts.map((part) => ({ etag: part.responseBody.etag, partNumber: part.partNumber })),
      ...(fname ? { fname } : {}),
      ...(mimeType ? { mimeType } : {}),
      metadata: prefixedMetadata(state.params),
      customVars: prefixedCustomVars(state.params),
    })
    return body as UploadResult
  }

  /** The upload the parts belonged to is gone when it is completed or listed (a part sent to it fails as such). */
  protected partsExpired(error: UploadError): boolean {
    return uploadGone(error) && error.api === 'listParts'
  }

  protected finalCallAnsweredGone(error: unknown): error is UploadError {
    return uploadGone(error)
  }

  async abortParts(state: PartsState): Promise<void> {
    const uploadId = state.record.uploadId
    try {
      if (uploadId) await v2.abortMultipartUpload(this.target(state), uploadId)
    } catch (error) {
      if (!(uploadGone(error))) throw error
    } finally {
      await state.writer?.delete()
    }
  }
}

/** Kodo's 612: the multi-part upload no longer exists (expired, completed or aborted). */
function uploadGone(error: unknown): error is UploadError {
  return error instanceof UploadError && error.statusCode === 612
}
