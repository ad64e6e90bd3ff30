import type { BodyProgress, KodoResponse } from '../http/client.js'
import { headerAuth, targetFields, type UploadTarget } from './target.js'
import { urlSafeBase64 } from '../utils/base64.js'

export interface MkblkAnswer {
  ctx: string
  checksum?: string
  crc32?: number
  offset?: number
  host?: string
  expired_at: number
}

/** `POST /mkblk/{size}` with the whole block as body (no bput chunks, as the seed does). */
export function mkblk(target: UploadTarget, block: Blob, partNumber: number, progress?: BodyProgress): Promise<KodoResponse<MkblkAnswer>> {
  return target.http.call({
    api: 'mkblk',
    method: 'POST',
    ...targetFields(target),
    path: `/mkblk/${block.size}`,
    headers: { 'Content-Type': 'application/octet-stream' },
    body: block,
    partNumber,
    auth: headerAuth(target),
    idempotent: true,
    progress,
  })
}

export interface MkfileArgs {
  fileSize: number
  /** The blocks' ctx values in file order. */
  ctxs: string[]
  fileName?: string
  mimeType?: string
  /** Already prefixed (`x-qn-meta-…`, `x:…`). */
  metadata: Record<string, string>
  customVars: Record<string, string>
}

/** `POST /mkfile/{size}/key/…/fname/…/mimeType/…/x-qn-meta-…/…/x:…/…`, body = comma-joined ctxs. */
export function mkfile(target: UploadTarget, args: MkfileArgs): Promise<KodoResponse> {
  const segments = [`/mkfile/${args.fileSize}`]
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined) segments.push(`/${name}/${urlSafeBase64(value)}`)
  }
  add('key', target.objectName)
  add('fname', args.fileName)
  add('mimeType', args.mimeType)
  for (const [name, value] of Object.entries(args.metadata)) add(name, value)
  for (const [name, value] of Object.entries(args.customVars)) add(name, value)
  return target.http.call({
    api: 'mkfile',
    method: 'POST',
    ...targetFields(target),
    path: segments.join(''),
    headers: { 'Content-Type': 'text/plain' },
    body: args.ctxs.join(','),
    auth: headerAuth(target),
    idempotent: false,
  })
}
