/** One finished part as remembered for a later resume. */
export interface RecordedPart {
  offset: number
  size: number
  partNumber: number
  /** Hex MD5 of the part, checked again before the part is trusted on resume ('' when unknown). */
  md5: string
  /** V2: the etag the server answered. */
  etag?: string
  /** V1: the block's ctx and when it expires (Unix seconds). */
  ctx?: string
  expiredAt?: number
}

/** Everything needed to carry on an interrupted multi-part upload. */
export interface ResumableRecord {
  /** Format of this record; records of another format are ignored. */
  format: 1
  version: 'v1' | 'v2'
  bucket: string
  objectName: string | null
  upEndpoints: string[]
  partSize: number
  /** V2 only. */
  uploadId?: string
  /** When the record stops being useful (Unix seconds): the uploadId's expireAt, or the first block's. */
  expireAt: number
  /** What the source looked like, so a page can list resumable uploads. */
  source: { name?: string; size?: number; type?: string; lastModified?: number }
  updatedAt: number
  parts: RecordedPart[]
  /**
   * Set just before the final call (completeParts, mkfile) goes out: if its answer is lost, the object
   * may be stored, so a later attempt must find out instead of uploading again. `hash`: the one computed locally.
   */
  committing?: { hash?: string }
}

/** Where resumable records live (the seed's `ResumableRecorder`); the key is the source key. */
export interface ResumableRecorder {
  get(sourceKey: string): Promise<ResumableRecord | undefined>
  set(sourceKey: string, record: ResumableRecord): Promise<void>
  delete(sourceKey: string): Promise<void>
  /** Every live record, e.g. to offer the uploads a page can resume after a reload. */
  entries(): Promise<Array<[string, ResumableRecord]>>
  /** Forgets every record (a shared computer, at logout: records name the files); the parts on the server expire there. */
  clear?(): Promise<void>
}

export function isExpired(record: ResumableRecord, nowSeconds = Date.now() / 1000): boolean {
  return record.expireAt <= nowSeconds
}

/** What a record is for: the protocol, bucket and key it belongs to. */
export interface RecordTarget {
  version: 'v1' | 'v2'
  bucket: string
  objectName?: string
}

/** A record of an upload that has no part yet; it lives 7 days unless the server's expiry is shorter. */
export function newRecord(args: RecordTarget & { upEndpoints: string[]; partSize: number; source: ResumableRecord['source'] }): ResumableRecord {
  const { version, bucket, objectName, upEndpoints, partSize, source } = args
  const expireAt = Math.floor(Date.now() / 1000) + 7 * 24 * 3600
  return { format: 1, version, bucket, objectName: objectName ?? null, upEndpoints, partSize, expireAt, source, updatedAt: Date.now(), parts: [] }
}

/** Whether a record found under a source key may be resumed for this target. */
export function recordMatches(record: ResumableRecord, target: RecordTarget): boolean {
  return (
    record.format === 1 &&
    record.version === target.version &&
    record.bucket === target.bucket &&
    record.objectName === (target.objectName ?? null) &&
    record.upEndpoints.length > 0 &&
    !isExpired(record)
  )
}
