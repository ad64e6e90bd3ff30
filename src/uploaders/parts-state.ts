import type { UploadError } from '../errors.js'
import type { Endpoints } from '../http/endpoints.js'
import type { ObjectParams } from '../context/object-params.js'
import type { RecordWriter } from '../recorders/record-writer.js'
import type { RecordedPart, ResumableRecord } from '../recorders/recorder.js'
import type { Digest } from '../hashing/hasher.js'
import type { DataSource, DataSourcePart } from '../sources/data-source.js'
import type { ListedOnServer } from './listed-part.js'
import type { InitializedParts, UploadedPart } from './multi-parts-uploader.js'
import type { ProgressTracker } from './progress.js'
import type { FirstPartDigest } from './source-identity.js'

/** A part handed out by the source: either covered by a record, or being hashed for sending. */
export type TakenPart =
  | { part: DataSourcePart; recorded: RecordedPart; digest?: undefined }
  | { part: DataSourcePart; recorded?: undefined; digest: Promise<Digest>; listed?: ListedOnServer }

/**
 * The state of one multi-part upload attempt, shared by the V1 and V2 uploaders: where it goes,
 * what the record holds, which recorded parts may be reused, and the checks still running.
 */
export class PartsState implements InitializedParts {
  readonly source: DataSource
  readonly params: ObjectParams
  upEndpoints: Endpoints
  signal: AbortSignal
  readonly progress: ProgressTracker
  readonly partSize: number
  /** The record being written for this attempt (absent when the source cannot resume). */
  record: ResumableRecord
  writer: RecordWriter | undefined
  /** Parts of an earlier attempt that may be reused, by offset; each is taken at most once. */
  resumable = new Map<number, RecordedPart>()
  resumedAny = false
  /** Parts the server holds that the record missed, by part number; each is taken at most once. */
  readonly listed = new Map<number, ListedOnServer>()
  /** SHA-1 of the 4 MiB blocks of each part, by part number, to check the object's hash at the end. */
  readonly blockDigests = new Map<number, Uint8Array[]>()
  /** Told about each failed request that will be retried (the scheduler slows down on throttling). */
  onRetry: ((error: UploadError) => void) | undefined
  /** Stops the attempt at once (set by the scheduler): a check running beside the lanes failed. */
  fail: ((error: unknown) => void) | undefined
  /** Parts taken ahead of the lanes, their hashes under way: at most one per lane in a part. */
  readonly ahead: Array<Promise<TakenPart | null>> = []
  /** Lanes between taking a part and its end (sent, resumed or failed). */
  lanesInPart = 0
  /** The first part's digest, started before the upload began (see `SourceIdentities`). */
  firstPartDigest: FirstPartDigest | undefined
  /** Checks of resumed parts running beside the upload; each settles to the part to use. */
  readonly checks: Promise<UploadedPart | undefined>[] = []

  constructor(args: {
    source: DataSource
    params: ObjectParams
    upEndpoints: Endpoints
    progress: ProgressTracker
    partSize: number
    record: ResumableRecord
    writer: RecordWriter | undefined
  }) {
    this.source = args.source
    this.params = args.params
    this.upEndpoints = args.upEndpoints
    this.signal = args.params.signal ?? new AbortController().signal
    this.progress = args.progress
    this.partSize = args.partSize
    this.record = args.record
    this.writer = args.writer
  }

  /** Starts the attempt over from the first byte with `record`: nothing of the earlier attempt is reused. */
  restart(record: ResumableRecord): void {
    this.record = record
    this.resumable.clear()
    this.listed.clear()
    this.ahead.length = 0
    this.resumedAny = false
    this.blockDigests.clear()
    this.checks.length = 0
    this.progress.reset()
  }

  /** Remembers a finished part and schedules a (coalesced) record write. */
  rememberPart(part: RecordedPart): void {
    this.record = { ...this.record, updatedAt: Date.now(), parts: [...this.record.parts.filter((p) => p.offset !== part.offset), part] }
    this.writer?.write(this.record)
  }

  /** Takes the recorded part for a slice, if it has the same place and size. */
  takeResumable(offset: number, size: number, partNumber: number): RecordedPart | undefined {
    const recorded = this.resumable.get(offset)
    if (!recorded) return undefined
    this.resumable.delete(offset)
    return recorded.size === size && recorded.partNumber === partNumber ? recorded : undefined
  }
}
