// @ts-check
// Multipart upload V1 (§5): mkblk, bput, mkfile.
import { decodeTextParam, urlsafeEncode } from '../base64.js'
import { splitAttributes } from '../attributes.js'
import { readBodyBuffer, receiveBlob, requireContentLength } from '../body.js'
import { commitObject, DEFAULT_MIME_TYPE } from '../commit.js'
import { Crc32 } from '../crc32.js'
import { KodoError } from '../errors.js'
import { authorize, headerToken } from '../policy.js'
import { BLOCK_SIZE, qetagFromDigests } from '../qetag.js'
/** @typedef {import('../exchange.js').Exchange} Exchange */
/** @typedef {import('../types.js').Block} Block */

/** @type {(ex: Exchange, params: string[]) => Promise<void>} */
export async function makeBlock(ex, [size]) {
  const length = requireContentLength(ex)
  authorize(ex.state, headerToken(ex.req))
  const blockSize = /^\d{1,8}$/.test(size) ? Number(size) : 0
  if (blockSize < 1 || blockSize > BLOCK_SIZE) throw new KodoError(400, 'block size must be between 1 byte and 4 MiB')
  if (length > blockSize) throw new KodoError(400, 'chunk larger than the block')
  await appendChunk(ex, ex.state.blocks.start(blockSize))
}

/** @type {(ex: Exchange, params: string[]) => Promise<void>} */
export async function putChunk(ex, [ctx, offset]) {
  const length = requireContentLength(ex)
  authorize(ex.state, headerToken(ex.req))
  const block = ex.state.blocks.get(ctx)
  // Chunks of a block go one at a time, in order.
  if (block.busy || offset !== String(block.received)) throw new KodoError(701, 'invalid ctx or offset')
  if (block.received + length > block.blockSize) throw new KodoError(400, 'chunk goes past the end of the block')
  await appendChunk(ex, block)
}

/**
 * Receives a chunk of a block and answers with the block's next ctx.
 * @param {Exchange} ex
 * @param {Block} block
 */
async function appendChunk(ex, block) {
  const sha1 = block.sha1.copy()
  const crc = new Crc32()
  block.busy = true
  try {
    ex.state.blocks.append(block, await receiveBlob(ex, [sha1, crc]), sha1)
  } finally {
    block.busy = false
  }
  await ex.json(200, {
    ctx: block.ctx,
    checksum: urlsafeEncode(block.sha1.copy().digest()),
    crc32: crc.value, // of this request's body, which satisfies both go-sdk and nodejs-sdk (§5.1)
    offset: block.received,
    host: `http://${ex.state.host}`,
    expired_at: block.expiredAt,
  })
}

/** @type {(ex: Exchange, params: string[]) => Promise<void>} */
export async function makeFile(ex, [path]) {
  requireContentLength(ex)
  const grant = authorize(ex.state, headerToken(ex.req))
  const { fileSize, fields } = parseMakeFilePath(path)
  const { metadata, customVars, named, ignoredFields } = splitAttributes(fields, ['key', 'fname', 'mimeType'])
  ex.note({ bucket: grant.bucket, key: named.key ?? null })
  const ctxList = (await readBodyBuffer(ex, 1 << 20)).toString('latin1').trim()
  const blocks = ex.state.blocks.completed(ctxList === '' ? [] : ctxList.split(','))
  checkBlocks(blocks, fileSize)
  const result = await commitObject(ex.state, grant, {
    api: 'mkfile',
    requestedKey: named.key ?? null,
    segments: blocks.flatMap((block) => block.segments),
    fsize: fileSize,
    hash: qetagFromDigests(blocks.map((block) => block.sha1.copy().digest())),
    mimeType: named.mimeType || DEFAULT_MIME_TYPE,
    fname: named.fname ?? '',
    metadata,
    customVars,
    ignoredFields,
  })
  ex.state.blocks.consume(blocks)
  ex.note({ key: result.key, committed: result.hash })
  await ex.jsonText(200, result.body)
}

/**
 * `{fileSize}/name/{b64 value}/name/{b64 value}…`, the pairs in any order.
 * @param {string} path
 */
function parseMakeFilePath(path) {
  const [size, ...segments] = path.split('/')
  if (!/^\d{1,15}$/.test(size)) throw new KodoError(400, 'invalid file size')
  if (segments.length % 2 !== 0) throw new KodoError(400, 'mkfile parameters must come in name/value pairs')
  /** @type {[string, string][]} */
  const fields = []
  for (let i = 0; i < segments.length; i += 2) fields.push([segments[i], decodeTextParam(segments[i + 1], segments[i])])
  return { fileSize: Number(size), fields }
}

/**
 * Blocks are 4 MiB but the last (the qetag depends on it), and together make the announced size.
 * @param {Block[]} blocks
 * @param {number} fileSize
 */
function checkBlocks(blocks, fileSize) {
  if (blocks.some((block, i) => i < blocks.length - 1 && block.blockSize !== BLOCK_SIZE)) {
    throw new KodoError(400, 'every block but the last must be 4 MiB')
  }
  if (blocks.reduce((sum, block) => sum + block.received, 0) !== fileSize) {
    throw new KodoError(400, 'file size does not match the blocks')
  }
}
