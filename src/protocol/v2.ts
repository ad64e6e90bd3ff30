import type { BodyProgress, KodoCall, KodoResponse } from '../http/client.js'
import { headerAuth, targetFields, type UploadTarget } from './target.js'
import { urlSafeBase64 } from '../utils/base64.js'

export interface InitPartsAnswer {
  uploadId: string
  expireAt: number
}

export interface UploadPartAnswer {
  etag: string
  md5: string
}

export interface ListedPart {
  partNumber: number
  etag: string
  size: number
  /** Not documented for listParts; compared when a server sends it. */
  md5?: string
  putTime?: number
}

export interface CompletePartsBody {
  parts: Array<{ etag: string; partNumber: number }>
  fname?: string
  mimeType?: string
  metadata?: Record<string, string>
  customVars?: Record<string, string>
}

/** `/buckets/{bucket}/objects/{urlsafeBase64(key) | ~}/uploads`. */
function uploadsPath(target: UploadTarget): string {
  const encodedKey = target.objectName === undefined ? '~' : urlSafeBase64(target.objectName)
  return `/buckets/${encodeURIComponent(target.bucket)}/objects/${encodedKey}/uploads`
}

function call(target: UploadTarget, fields: Omit<KodoCall, 'endpoints' | 'auth' | 'signal' | 'callbacks' | 'onRetry'>): KodoCall {
  return { ...fields, ...targetFields(target), auth: headerAuth(target) }
}

export function initParts(target: UploadTarget): Promise<KodoResponse<InitPartsAnswer>> {
  return target.http.call(call(target, { api: 'initParts', method: 'POST', path: uploadsPath(target), idempotent: true }))
}

export function uploadPart(
  target: UploadTarget,
  args: { uploadId: string; partNumber: number; blob: Blob; md5?: string; progress?: BodyProgress },
): Promise<KodoResponse<UploadPartAnswer>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' }
  if (args.md5) headers['Content-MD5'] = args.md5
  return target.http.call(
    call(target, {
      api: 'uploadPart',
      method: 'PUT',
      path: `${uploadsPath(target)}/${encodeURIComponent(args.uploadId)}/${args.partNumber}`,
      headers,
      partNumber: args.partNumber,
      body: args.blob,
      idempotent: true,
      progress: args.progress,
    }),
  )
}

export function completeParts(target: UploadTarget, uploadId: string, body: CompletePartsBody): Promise<KodoResponse> {
  return target.http.call(
    call(target, {
      api: 'completeParts',
      method: 'POST',
      path: `${uploadsPath(target)}/${encodeURIComponent(uploadId)}`,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      idempotent: false,
    }),
  )
}

/** Enough pages for 10 000 parts at 1 000 a page, with room for a server that pages smaller. */
const MAX_LIST_PAGES = 100

/**
 * Every part the server holds for `uploadId`, following the `partNumberMarker` pages. Stops on an
 * empty page, a marker that does not move forward, or after MAX_LIST_PAGES pages: a part missed
 * that way is only sent again.
 */
export async function listParts(target: UploadTarget, uploadId: string): Promise<ListedPart[]> {
  const parts: ListedPart[] = []
  let marker = 0
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const response = await target.http.call<{ parts?: ListedPart[] | null; partNumberMarker?: number }>(
      call(target, {
        api: 'listParts',
        method: 'GET',
        path: `${uploadsPath(target)}/${encodeURIComponent(uploadId)}`,
        query: { 'max-parts': '1000', 'part-number-marker': String(marker) },
        idempotent: true,
      }),
    )
    const listed = Array.isArray(response.body.parts) ? response.body.parts.filter(isListedPart) : []
    parts.push(...listed)
    const next = Number(response.body.partNumberMarker ?? 0)
    if (listed.length === 0 || !Number.isSafeInteger(next) || next <= marker) break
    marker = next
  }
  return parts
}

function isListedPart(part: unknown): part is ListedPart {
  const { partNumber, etag, size } = (part ?? {}) as Partial<ListedPart>
  return Number.isSafeInteger(partNumber) && typeof etag === 'string' && Number.isSafeInteger(size)
}

export function abortMultipartUpload(target: UploadTarget, uploadId: string): Promise<KodoResponse> {
  return target.http.call(
    call(target, { api: 'abortMultipartUpload', method: 'DELETE', path: `${uploadsPath(target)}/${encodeURIComponent(uploadId)}`, idempotent: true, waitForNetwork: false }),
  )
}
