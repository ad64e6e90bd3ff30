import type { ObjectParams } from '../context/object-params.js'
import { invalidInput } from '../errors.js'
import type { ResumableRecord, ResumableRecorder } from '../recorders/recorder.js'

export interface FoundRecord {
  key: string
  record: ResumableRecord
  /** Bytes of the parts the record holds (the server is asked again when the upload resumes). */
  bytesDone: number
}

/**
 * The newest live record of an upload of `file` to `params.objectName`, matched by the file's name,
 * size, type and mtime without reading it; for pages that offer to resume without a queue.
 */
export async function findRecord(
  recorder: ResumableRecorder,
  bucket: string,
  file: { name: string; size: number; type?: string; lastModified: number },
  params: Pick<ObjectParams, 'objectName'> = {},
): Promise<FoundRecord | undefined> {
  if (typeof file?.name !== 'string' || typeof file.size !== 'number' || typeof file.lastModified !== 'number') {
    throw invalidInput('findRecord() takes a File, or its name, size and lastModified', file)
  }
  let found: FoundRecord | undefined
  for (const [key, record] of await recorder.entries()) {
    const source = record.source
    const matches =
      record.bucket === bucket &&
      record.objectName === (params.objectName ?? null) &&
      source.name === file.name &&
      source.size === file.size &&
      (source.type ?? '') === (file.type ?? '') &&
      source.lastModified === file.lastModified
    if (matches && (!found || record.updatedAt > found.record.updatedAt)) {
      found = { key, record, bytesDone: record.parts.reduce((sum, part) => sum + part.size, 0) }
    }
  }
  return found
}

/**
 * Deletes the record `findRecord` finds, for an upload whose file is not at hand (after a reload): its
 * parts on the server cannot be aborted without it and expire there by themselves.
 */
export async function forgetRecord(recorder: ResumableRecorder, bucket: string, file: Parameters<typeof findRecord>[2], params: Pick<ObjectParams, 'objectName'> = {}): Promise<void> {
  const found = await findRecord(recorder, bucket, file, params)
  if (found) await recorder.delete(found.key)
}
