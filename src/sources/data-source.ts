import type { Hasher } from '../hashing/hasher.js'

/** One part handed out by a data source: its bytes as a Blob (a slice for files, never a copy). */
export interface DataSourcePart {
  /** 1-based, in source order. */
  partNumber: number
  /** Byte offset in the source. */
  offset: number
  size: number
  blob: Blob
}

/** What a source key is made of besides the source itself: the target. */
export interface SourceKeyContext {
  bucket: string
  objectName?: string
  version: 'v1' | 'v2'
  /** For sources whose key samples their bytes. */
  hasher: Hasher
  signal?: AbortSignal
}

/** Chooses a part's size from where it starts, so resumed parts keep their recorded layout. */
export type PartSizer = (offset: number, partNumber: number) => number

/** Hands out the parts of one upload, in order (the seed's `DataSource`). */
export interface DataSource {
  /**
   * The next part, or `null` when the source is exhausted. Calls may overlap (concurrent lanes);
   * parts are still handed out in order, each call taking the next one. `signal` is the upload's:
   * a source that waits for data (a stream) stops waiting when it fires.
   */
  slice(sizer: PartSizer, signal?: AbortSignal): Promise<DataSourcePart | null>
  /** Starts again from the first byte (reinitialize, region failover); unsupported by streams. */
  reset(): Promise<void>
  /**
   * A stable identity for resuming, or `null` when this source cannot resume. It is computed before the
   * first request, so it should be cheap: it must not depend on the part size.
   */
  sourceKey(ctx: SourceKeyContext): Promise<string | null>
  /**
   * The first `size` bytes without taking them, for sources that can read them twice (a Blob): the
   * first part's hash then starts while the upload's first requests are under way.
   */
  peekFirstPart?(size: number): Blob
  /**
   * Whether the bytes are no longer those they were when `sourceKey` looked at them (checked before the final
   * call, and when an upload fails): a file changed on disk or removed. Sources that cannot change leave it out.
   */
  changed?(signal?: AbortSignal): Promise<boolean>
  /** Total size in bytes, when known up front. */
  totalSize(): number | undefined
  /** A human description for resumable records (file name, size, ...). */
  describe(): SourceDescription
}

export interface SourceDescription {
  name?: string
  size?: number
  type?: string
  lastModified?: number
}
