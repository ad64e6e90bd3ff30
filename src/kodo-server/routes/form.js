// @ts-check
// Form upload (§3): `POST /` with multipart/form-data, fields in any order.
import { splitAttributes } from '../attributes.js'
import { readBody } from '../body.js'
import { commitObject, DEFAULT_MIME_TYPE } from '../commit.js'
import { Crc32 } from '../crc32.js'
import { KodoError } from '../errors.js'
import { boundaryOf, MultipartParser, parseDisposition } from '../multipart.js'
import { authorize } from '../policy.js'
import { BlockHasher, qetagFromDigests } from '../qetag.js'
/** @typedef {import('../exchange.js').Exchange} Exchange */
/** @typedef {import('../multipart.js').MultipartEvent} MultipartEvent */
/** @typedef {import('../blobs.js').BlobWriter} BlobWriter */

// Fields are held in memory: a form may carry at most this many bytes of them, in at most this many parts.
const MAX_FIELDS_BYTES = 1 << 20
const MAX_PARTS = 1000
const KNOWN_FIELDS = ['token', 'key', 'crc32', 'fname', 'accept']

/**
 * Unlike the part APIs, a form upload may come without Content-Length: the official Node SDK
 * (nodejs-sdk 7.15 FormUploader: formstream over urllib) streams a chunked body, appending the crc32
 * field after the file, so the real up hosts must accept one.
 * @type {(ex: Exchange) => Promise<void>}
 */
export async function formUpload(ex) {
  const form = new FormReader(ex.state.blobs)
  const parser = new MultipartParser(boundaryOf(ex.req.headers['content-type']))
  try {
    await readBody(ex, async (chunk) => {
      for (const event of parser.write(chunk)) await form.take(event)
    })
    parser.end()
  } catch (error) {
    await form.discard()
    throw error
  }
  const file = await form.finish()
  const result = await store(ex, form.fields, file).catch(async (error) => {
    await ex.state.blobs.remove(file ? [file.segment] : [])
    throw error
  })
  ex.note({ key: result.key, committed: result.hash })
  // The `accept` field is taken (qiniu-js sends it) but the answer is always JSON: echoing a client-chosen
  // Content-Type (text/html…) would turn this server into a page any site could author.
  await ex.jsonText(200, result.body)
}

/**
 * @typedef {object} FilePart
 * @property {BlobWriter} writer
 * @property {BlockHasher} blocks
 * @property {Crc32} crc
 * @property {string} filename
 * @property {string} contentType
 */

/** Collects form fields in memory and streams the `file` part to a blob. */
class FormReader {
  /** @type {Map<string, string>} */
  fields = new Map()
  /** @type {FilePart | null} */
  file = null
  /** @type {{ name: string, chunks: Buffer[] } | null} The field being read. */
  #field = null
  #inFile = false
  #fieldsBytes = 0
  #parts = 0

  /** @param {import('../blobs.js').BlobDir} blobs */
  constructor(blobs) {
    this.blobs = blobs
  }

  /** @param {MultipartEvent} event */
  async take(event) {
    if (event.type === 'part') this.#start(event.headers)
    else if (event.type === 'data') await this.#data(event.data)
    else if (this.#field) this.fields.set(this.#field.name, Buffer.concat(this.#field.chunks).toString('utf8'))
  }

  /** @param {Record<string, string>} headers */
  #start(headers) {
    const { name, filename } = parseDisposition(headers['content-disposition'])
    if (name === undefined) throw new KodoError(400, 'multipart part without a name')
    if (++this.#parts > MAX_PARTS) throw new KodoError(400, `more than ${MAX_PARTS} form fields`)
    this.#inFile = name === 'file'
    this.#field = this.#inFile ? null : { name, chunks: [] }
    if (!this.#inFile) return
    if (this.file) throw new KodoError(400, 'more than one file part')
    const blocks = new BlockHasher()
    const crc = new Crc32()
    const writer = this.blobs.create([blocks, crc])
    this.file = { writer, blocks, crc, filename: filename ?? '', contentType: headers['content-type'] ?? '' }
  }

  /** @param {Buffer} data */
  async #data(data) {
    if (this.#inFile) return this.file?.writer.write(data)
    if (!this.#field) return
    this.#fieldsBytes += data.length
    if (this.#fieldsBytes > MAX_FIELDS_BYTES) throw new KodoError(413, 'form fields too large')
    this.#field.chunks.push(data)
  }

  async finish() {
    if (!this.file) return null
    const { writer, blocks, crc, filename, contentType } = this.file
    return { segment: await writer.finish(), digests: blocks.digests(), crc: crc.value, filename, contentType }
  }

  async discard() {
    await this.file?.writer.discard()
  }
}

/**
 * Checks the token and the file, then stores the object.
 * @param {Exchange} ex
 * @param {Map<string, string>} fields
 * @param {Awaited<ReturnType<FormReader['finish']>>} file
 */
async function store(ex, fields, file) {
  const grant = authorize(ex.state, fields.get('token'))
  ex.note({ bucket: grant.bucket, key: fields.get('key') ?? null })
  if (!file) throw new KodoError(400, 'file is required')
  checkCrc32(fields.get('crc32'), file.crc)
  const { metadata, customVars, named, ignoredFields } = splitAttributes(fields, KNOWN_FIELDS)
  return commitObject(ex.state, grant, {
    api: 'form',
    requestedKey: named.key ?? null,
    segments: [file.segment],
    fsize: file.segment.size,
    hash: qetagFromDigests(file.digests),
    mimeType: file.contentType || DEFAULT_MIME_TYPE,
    // The documented source of $(fname) is the part's filename; qiniu-js also sends an fname field.
    fname: file.filename || named.fname || '',
    metadata,
    customVars,
    ignoredFields,
  })
}

/**
 * @param {string | undefined} field Decimal CRC-32 sent by the client.
 * @param {number} actual
 */
function checkCrc32(field, actual) {
  if (field === undefined) return
  if (!/^\d{1,10}$/.test(field)) throw new KodoError(400, 'invalid crc32')
  if (Number(field) !== actual) throw new KodoError(406, 'crc32 not match')
}
