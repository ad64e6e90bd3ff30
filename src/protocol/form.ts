import type { BodyProgress, KodoResponse } from '../http/client.js'
import { targetFields, type UploadTarget } from './target.js'

export interface FormFields {
  file: Blob
  fileName: string
  /** Already prefixed (`x-qn-meta-…`, `x:…`). */
  metadata: Record<string, string>
  customVars: Record<string, string>
  crc32?: number
  /** False when the token's policy has a callbackUrl: the app's server would be called twice. */
  idempotent: boolean
}

/** `POST /` with multipart/form-data: token, key, metadata, custom vars, crc32, then the file. */
export function formUpload(target: UploadTarget, fields: FormFields, progress?: BodyProgress): Promise<KodoResponse> {
  return target.http.call({
    api: 'form',
    method: 'POST',
    ...targetFields(target),
    path: '/',
    body: (token) => {
      const form = new FormData()
      form.append('token', token)
      if (target.objectName !== undefined) form.append('key', target.objectName)
      for (const [name, value] of Object.entries(fields.metadata)) form.append(name, value)
      for (const [name, value] of Object.entries(fields.customVars)) form.append(name, value)
      if (fields.crc32 !== undefined) form.append('crc32', String(fields.crc32))
      form.append('file', fields.file, fields.fileName)
      return form
    },
    auth: { tokens: target.tokens, ctx: { bucket: target.bucket, objectName: target.objectName }, in: 'body' },
    idempotent: fields.idempotent,
    progress,
  })
}
