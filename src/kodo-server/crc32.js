// @ts-check
import { crc32 } from 'node:zlib'

/** Incremental CRC-32/IEEE, as form uploads (`crc32` field) and V1 responses use it. */
export class Crc32 {
  value = 0

  /** @param {Uint8Array} chunk */
  update(chunk) {
    this.value = crc32(chunk, this.value)
  }
}
