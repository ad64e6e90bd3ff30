import type { UploadError } from '../errors.js'
import type { Endpoints } from '../http/endpoints.js'
import type { ObjectParams } from '../context/object-params.js'
import type { DataPartitionProvider } from '../providers/partition-provider.js'
import type { ResumableRecorder } from '../recorders/recorder.js'
import type { DataSource } from '../sources/data-source.js'
import type { UploadResult } from './upload-result.js'

/** How a multi-part uploader is made: `new MultiPartsV2Uploader(manager, options)`. */
export interface MultiPartsUploaderOptions {
  /** Re-hash each recorded part before trusting it on resume (default true). */
  verifyResumedParts?: boolean
  /** Compute the object's Kodo hash locally and compare it with the server's (default true). */
  checkObjectHash?: boolean
  /** Where resumable records go (default: the manager's, IndexedDB in browsers). */
  recorder?: ResumableRecorder
}

/** An upload that has begun: where it goes and what it is (the seed's `InitializedParts`). */
export interface InitializedParts {
  readonly source: DataSource
  readonly params: ObjectParams
  readonly upEndpoints: Endpoints
  /** Whether any part of this attempt came from a resumable record. */
  readonly resumedAny: boolean
  /** Stops this attempt's requests (the scheduler stops the other lanes after a failure with it). */
  signal: AbortSignal
}

/** One part that is on the server (the seed's `UploadedPart`). */
export interface UploadedPart {
  size: number
  offset: number
  /** Taken from a resumable record without sending it again. */
  resumed: boolean
  partNumber: number
  /** The server's answer for the part (V2 `{etag, md5}`, V1 the mkblk body). */
  responseBody: unknown
}

export interface ReinitializeOptions {
  /** Up endpoints of another region; default: keep the current ones. */
  upEndpoints?: Endpoints
  /** Why the upload starts over, told to `onStartOver` listeners. */
  reason?: UploadError
}

/**
 * Uploads a source in parts (the seed's `MultiPartsUploader`): initialize, upload parts until
 * `null` (calls may run concurrently on one `initialized`), complete.
 */
export interface MultiPartsUploader<I extends InitializedParts = InitializedParts, P extends UploadedPart = UploadedPart> {
  readonly version: 'v1' | 'v2'
  /** Begins the upload; `partitioner` gives the first part's size, which the record key depends on (default 4 MiB). */
  initializeParts(source: DataSource, params: ObjectParams, partitioner?: DataPartitionProvider): Promise<I>
  /** The upload as a resumable record left it, or `null` when there is nothing (valid) to resume. */
  tryToResumeParts(source: DataSource, params: ObjectParams, partitioner?: DataPartitionProvider): Promise<I | null>
  /** The next part, or `null` when the source is exhausted. */
  uploadPart(initialized: I, partitioner: DataPartitionProvider): Promise<P | null>
  /** Joins the parts into the object; resolves with the server's JSON (`{ key, hash }` by default). */
  completeParts(initialized: I, parts: P[]): Promise<UploadResult>
  /** Forgets every part and starts the upload again from the first byte (optionally in another region). */
  reinitializeParts(initialized: I, options?: ReinitializeOptions): Promise<void>
  /** Stops the upload on the server when it can (V2 abort) and forgets its record. */
  abortParts(initialized: I): Promise<void>
  /** Every region the upload may use, its own first (the scheduler fails over along them). */
  regionsFor(params: ObjectParams): Promise<Endpoints[]>
}
