// @ts-check
import { createHash, randomBytes } from 'node:crypto'
import { KodoError } from './errors.js'
import { nowSeconds } from './time.js'
/** @typedef {import('./types.js').Block} Block */
/** @typedef {import('./types.js').Segment} Segment */
/** @typedef {import('./blobs.js').BlobDir} BlobDir */

/** V1 blocks in progress (§5), reachable only through their latest ctx. */
export class BlockRegistry {
  /** @type {Map<string, Block>} */
  #byCtx = new Map()

  /**
   * @param {BlobDir} blobs
   * @param {number} lifetimeSeconds How long a block's ctxs stay valid.
   */
  constructor(blobs, lifetimeSeconds) {
    this.blobs = blobs
    this.lifetimeSeconds = lifetimeSeconds
  }

  /**
   * A new block; it gets its first ctx when its first chunk has arrived.
   * @param {number} blockSize
   * @returns {Block}
   */
  start(blockSize) {
    return {
      blockSize,
      received: 0,
      segments: [],
      sha1: createHash('sha1'),
      ctx: '',
      expiredAt: nowSeconds() + this.lifetimeSeconds,
      busy: false,
    }
  }

  /**
   * The block `ctx` belongs to, if it is the block's latest ctx and has not expired; else 701.
   * @param {string} ctx
   * @returns {Block}
   */
  get(ctx) {
    const block = this.#byCtx.get(ctx)
    if (!block) throw new KodoError(701, 'invalid ctx')
    if (block.expiredAt <= nowSeconds()) {
      this.#byCtx.delete(ctx)
      void this.blobs.remove(block.segments)
      throw new KodoError(701, 'expired ctx')
    }
    return block
  }

  /**
   * Records a received chunk and issues the block's next ctx; earlier ctxs stop working.
   * @param {Block} block
   * @param {Segment} segment
   * @param {import('node:crypto').Hash} sha1 Hash state including the chunk.
   */
  append(block, segment, sha1) {
    this.#byCtx.delete(block.ctx)
    block.segments.push(segment)
    block.received += segment.size
    block.sha1 = sha1
    block.ctx = randomBytes(18).toString('base64url')
    this.#byCtx.set(block.ctx, block)
  }

  /**
   * The blocks named by mkfile's ctx list; each must be complete.
   * @param {string[]} ctxs
   * @returns {Block[]}
   */
  completed(ctxs) {
    const blocks = ctxs.map((ctx) => this.get(ctx))
    if (blocks.some((block) => block.received !== block.blockSize || block.busy)) {
      throw new KodoError(701, 'invalid ctx')
    }
    if (new Set(blocks).size !== blocks.length) throw new KodoError(400, 'duplicate ctx')
    return blocks
  }

  /**
   * Forgets blocks whose bytes now belong to an object.
   * @param {Block[]} blocks
   */
  consume(blocks) {
    for (const block of blocks) this.#byCtx.delete(block.ctx)
  }

  /** @returns {number} How many blocks were expired. */
  expireAll() {
    for (const block of this.#byCtx.values()) block.expiredAt = nowSeconds() - 1
    return this.#byCtx.size
  }

  clear() {
    this.#byCtx.clear()
  }
}
