import { UploadError, isUploadError } from '../errors.js'
import type { Digest } from '../hashing/hasher.js'
import { prefixedCustomVars, prefixedMetadata } from '../context/object-params.js'
import * as v1 from '../protocol/v1.js'
import type { RecordedPart, ResumableRecord } from '../recorders/recorder.js'
import type { DataSourcePart } from '../sources/data-source.js'
import { urlSafeBase64 } from '../utils/base64.js'
import { MultiPartsUploaderBase } from './multi-parts-base.js'
import type { UploadedPart } from './multi-parts-uploader.js'
import type { UploadResult } from './upload-result.js'
import type { PartsState } from './parts-state.js'

export interface V1UploadedPart extends UploadedPart {
  responseBody: v1.MkblkAnswer
}

/** Multi-part upload V1: one mkblk per 4 MiB block, then mkfile with the ctxs in file order. */
export class MultiPartsV1Uploader extends MultiPartsUploaderBase<V1UploadedPart> {
  readonly version = 'v1'

  protected override digestRequest() {
    return { ...super.digestRequest(), crc32: true }
  }

  /** V1 has no initialization call: blocks are created by mkblk. */
  protected async begin(): Promise<void> {}

  /** Blocks whose ctx has not expired are reused. After a lost mkfile answer nothing tells whether it took effect. */
  protected async adoptRecord(state: PartsState, record: ResumableRecord): Promise<boolean> {
    if (record.committing) return false
    const now = Date.now() / 1000
    for (const part of record.parts) if (part.ctx && (part.expiredAt ?? 0) > now) state.resumable.set(part.offset, part)
    return true
  }

  protected async sendPart(state: PartsState, part: DataSourcePart, digest: Digest): Promise<{ uploaded: V1UploadedPart; recorded: RecordedPart }> {
    const { body } = await v1.mkblk(this.target(state), part.blob, part.partNumber, state.progress.body(part.partNumber, part.size))
    const checksum = digest.sha1Blocks?.[0] && urlSafeBase64(digest.sha1Blocks[0])
    const crcDiffers = digest.crc32 !== undefined && body.crc32 !== undefined && body.crc32 !== digest.crc32
    if (crcDiffers || (checksum && body.checksum && body.checksum !== checksum)) {
      throw new UploadError('malicious-response', `Block ${part.partNumber}: the server's checksum does not match the bytes sent.`, {
        api: 'mkblk',
        retryDecision: 'retry-request',
      })
    }
    state.record = { ...state.record, expireAt: Math.min(state.record.expireAt, body.expired_at) }
    const recorded: RecordedPart = {
      offset: part.offset,
      size: part.size,
      partNumber: part.partNumber,
      md5: digest.md5!,
      ctx: body.ctx,
      expiredAt: body.expired_at,
    }
    return { uploaded: { offset: part.offset, size: part.size, partNumber: part.partNumber, resumed: false, responseBody: body }, recorded }
  }

  protected resumedPart(recorded: RecordedPart): V1UploadedPart {
    const { offset, size, partNumber, ctx = '', expiredAt = 0 } = recorded
    return { offset, size, partNumber, resumed: true, responseBody: { ctx, expired_at: expiredAt } }
  }

  protected async finish(state: PartsState, parts: V1UploadedPart[]): Promise<UploadResult> {
    const described = state.source.describe()
    const sorted = [...parts].sort((a, b) => a.offset - b.offset)
    const { body } = await v1.mkfile(this.target(state), {
      fileSize: sorted.reduce((sum, part) => sum + part.size, 0),
      ctxs: sorted.map((part) => part.responseBody.ctx),
      fileName: state.params.fileName ?? described.name,
      mimeType: state.params.contentType ?? described.type,
      metadata: prefixedMetadata(state.params),
      customVars: prefixedCustomVars(state.params),
    })
    return body as UploadResult
  }

  /** V1 has no way to ask whether an mkfile took effect. */
  protected async finishDidNotHappen(): Promise<boolean> {
    return false
  }

  /** V1 blocks cannot be deleted on the server; they expire. Only the record is forgotten. */
  /** 701: the blocks expired, or this host does not know them. */
  protected partsExpired(error: UploadError): boolean {
    return error.statusCode === 701
  }

  /**
   * mkfile's 701 means expired ctxs or consumed ones. Ctxs this attempt got minutes ago cannot have
   * expired: an earlier copy of this mkfile, whose answer was lost, consumed them. Resumed ctxs may have
   * expired: V1 starts over, as the seed does.
   */
  protected finalCallAnsweredGone(error: unknown, state: PartsState): error is UploadError {
    return isUploadError(error) && error.statusCode === 701 && !state.resumedAny
  }

  async abortParts(state: PartsState): Promise<void> {
    await state.writer?.delete()
  }
}
