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
}

export function isExpired(record: ResumableRecord, nowSeconds = Date.now() / 1000): boolean {
  return record.expireAt <= nowSeconds
}
