// @ts-check
// Multipart upload V2 (§4): init, upload part, list parts, complete, abort.
import { createHash } from 'node:crypto'
import { decodeTextParam } from '../base64.js'
import { checkAttributes } from '../attributes.js'
import { readJson, receiveBlob, requireContentLength } from '../body.js'
import { commitObject, DEFAULT_MIME_TYPE } from '../commit.js'
import { KodoError } from '../errors.js'
import { authorize, checkKeyScope, headerToken } from '../policy.js'
import { BlockHasher, partLayoutQetag, qetagFromDigests } from '../qetag.js'
import { nowSeconds } from '../time.js'
/** @typedef {import('../exchange.js').Exchange} Exchange */
/** @typedef {import('../types.js').UploadedPart} UploadedPart */

const MIN_PART_SIZE = 1 << 20
const MAX_PART_SIZE = 1 << 30
const MAX_PART_NUMBER = 10000
const MAX_LIST_PAGE = 1000

/**
 * Verifies the token against the bucket and key of a path `/buckets/{bucket}/objects/{key|~}/uploads…`.
 * @param {Exchange} ex
 * @param {string[]} params
 */
function authorizePath(ex, [bucket, encodedKey]) {
  const key = encodedKey === '~' ? null : decodeTextParam(encodedKey, 'object key')
  ex.note({ bucket, key })
  return { bucket, key, grant: authorize(ex.state, headerToken(ex.req), bucket) }
}

/**
 * The live upload a path names: 612 if it is unknown, finished, expired, or was started for another
 * bucket or key.
 * @param {Exchange} ex
 * @param {string[]} params
 */
function liveUpload(ex, params) {
  const { bucket, key, grant } = authorizePath(ex, params)
  ex.note({ uploadId: params[2] })
  return { upload: ex.state.uploads.live(params[2], bucket, key), grant }
}

/** @type {(ex: Exchange, params: string[]) => Promise<void>} */
export async function initParts(ex, params) {
  const { bucket, key, grant } = authorizePath(ex, params)
  if (key !== null) checkKeyScope(grant, key, 401)
  const upload = ex.state.uploads.create(bucket, key)
  ex.note({ uploadId: upload.id })
  await ex.json(200, { uploadId: upload.id, expireAt: upload.expireAt })
}

/** @type {(ex: Exchange, params: string[]) => Promise<void>} */
export async function uploadPart(ex, params) {
  requireContentLength(ex)
  const { upload } = liveUpload(ex, params)
  const partNumber = parsePartNumber(params[3])
  ex.note({ partNumber })
  const md5Header = ex.req.headers['content-md5']
  const expectedMd5 = parseContentMd5(md5Header === undefined ? undefined : String(md5Header))
  const part = await receivePart(ex)
  try {
    if (expectedMd5 !== null && expectedMd5 !== part.md5) throw new KodoError(400, 'Content-MD5 mismatch')
    ex.state.uploads.live(upload.id, upload.bucket, upload.key) // it may have ended while the body arrived
  } catch (error) {
    await ex.state.blobs.remove([part.segment])
    throw error
  }
  await ex.state.uploads.setPart(upload, partNumber, part)
  await ex.json(200, { etag: part.etag, md5: part.md5 })
}

/**
 * @param {Exchange} ex
 * @returns {Promise<UploadedPart>}
 */
async function receivePart(ex) {
  const blocks = new BlockHasher()
  const md5 = createHash('md5')
  const segment = await receiveBlob(ex, [blocks, md5])
  const digests = blocks.digests()
  return { segment, digests, etag: qetagFromDigests(digests), md5: md5.digest('hex'), size: segment.size, putTime: nowSeconds() }
}

/** @param {string} text */
function parsePartNumber(text) {
  const n = /^\d{1,6}$/.test(text) ? Number(text) : 0
  if (n < 1 || n > MAX_PART_NUMBER) throw new KodoError(400, `partNumber must be between 1 and ${MAX_PART_NUMBER}`)
  return n
}

/**
 * Content-MD5 as 32 hex digits (what every SDK sends) or RFC 1864 Base64.
 * @param {string | undefined} header
 * @returns {string | null} Lowercase hex, or null when absent.
 */
function parseContentMd5(header) {
  if (header === undefined) return null
  if (/^[0-9a-f]{32}$/i.test(header)) return header.toLowerCase()
  if (/^[A-Za-z0-9+/]{22}==$/.test(header)) return Buffer.from(header, 'base64').toString('hex')
  throw new KodoError(400, 'invalid Content-MD5')
}

/** @type {(ex: Exchange, params: string[]) => Promise<void>} */
export async function listParts(ex, params) {
  const { upload } = liveUpload(ex, params)
  const query = ex.url.searchParams
  const maxParts = Math.min(MAX_LIST_PAGE, queryNumber(query.get('max-parts'), MAX_LIST_PAGE, 1))
  // The doc spells it part-number-marker; api-specs (Rust, Go) part-number_marker.
  const marker = queryNumber(query.get('part-number-marker') ?? query.get('part-number_marker'), 0, 0)
  const numbers = [...upload.parts.keys()].filter((n) => n > marker).sort((a, b) => a - b)
  const page = numbers.slice(0, maxParts)
  const parts = page.map((partNumber) => {
    const { etag, size, putTime } = /** @type {UploadedPart} */ (upload.parts.get(partNumber))
    return { partNumber, etag, size, putTime }
  })
  const partNumberMarker = numbers.length > page.length ? page[page.length - 1] : 0
  await ex.json(200, { uploadId: upload.id, expireAt: upload.expireAt, partNumberMarker, parts })
}

/**
 * @param {string | null} text
 * @param {number} fallback When absent.
 * @param {number} min
 */
function queryNumber(text, fallback, min) {
  if (text === null || text === '') return fallback
  if (!/^\d+$/.test(text) || Number(text) < min) throw new KodoError(400, `invalid query parameter ${text}`)
  return Number(text)
}

/** @type {(ex: Exchange, params: string[]) => Promise<void>} */
export async function completeParts(ex, params) {
  requireContentLength(ex)
  const { upload, grant } = liveUpload(ex, params)
  const request = parseComplete(await readJson(ex))
  const parts = request.parts.map(({ partNumber, etag }) => {
    const part = upload.parts.get(partNumber)
    if (!part) throw new KodoError(400, `no such part: ${partNumber}`)
    if (part.etag !== etag) throw new KodoError(400, `etag of part ${partNumber} does not match`)
    return part
  })
  checkPartSizes(parts)
  const result = await commitObject(ex.state, grant, {
    api: 'complete',
    requestedKey: upload.key,
    segments: parts.map((part) => part.segment),
    fsize: parts.reduce((sum, part) => sum + part.size, 0),
    hash: partLayoutQetag(parts),
    mimeType: request.mimeType ?? DEFAULT_MIME_TYPE,
    fname: request.fname ?? '',
    metadata: request.metadata,
    customVars: request.customVars,
    ignoredFields: request.ignoredFields,
  })
  await ex.state.uploads.drop(upload.id, new Set(request.parts.map((part) => part.partNumber)))
  ex.note({ key: result.key, committed: result.hash })
  await ex.jsonText(200, result.body)
}

/**
 * The complete request body (§4.4). Fields the server does not know, such as Rust's `mime_type`, are
 * recorded as ignored rather than honoured.
 * @param {unknown} body
 */
function parseComplete(body) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new KodoError(400, 'invalid complete body')
  const { parts, fname, mimeType, metadata, customVars, ...unknown } = /** @type {Record<string, unknown>} */ (body)
  if (!Array.isArray(parts) || parts.length === 0) throw new KodoError(400, "parts param can't be empty")
  /** @type {{ partNumber: number, etag: string }[]} */
  const listed = parts.map((part) => {
    if (!Number.isInteger(part?.partNumber) || typeof part.etag !== 'string') throw new KodoError(400, 'invalid part in parts')
    return { partNumber: part.partNumber, etag: part.etag }
  })
  if (listed.some((part, i) => i > 0 && part.partNumber <= listed[i - 1].partNumber)) {
    throw new KodoError(400, 'partNumber must be in ascending order')
  }
  return {
    parts: listed,
    fname: optionalString(fname, 'fname'),
    mimeType: optionalString(mimeType, 'mimeType'),
    ...checkAttributes(metadata ?? {}, customVars ?? {}),
    ignoredFields: Object.keys(unknown),
  }
}

/**
 * @param {unknown} value
 * @param {string} name
 */
function optionalString(value, name) {
  if (value !== undefined && typeof value !== 'string') throw new KodoError(400, `${name} must be a string`)
  return value
}

/**
 * Every part is at most 1 GiB; every part but the last at least 1 MiB.
 * @param {UploadedPart[]} parts
 */
function checkPartSizes(parts) {
  parts.forEach((part, i) => {
    if (part.size > MAX_PART_SIZE) throw new KodoError(400, 'part larger than 1 GiB')
    if (i < parts.length - 1 && part.size < MIN_PART_SIZE) {
      throw new KodoError(400, 'every part but the last must be at least 1 MiB')
    }
  })
}

/** @type {(ex: Exchange, params: string[]) => Promise<void>} */
export async function abortUpload(ex, params) {
  const { upload } = liveUpload(ex, params)
  await ex.state.uploads.drop(upload.id)
  await ex.json(200, {})
}
