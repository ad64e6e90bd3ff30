/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as Kodo's form upload checks it. */

/**
 * Signed 32-bit entries: every step stays an int32. With unsigned entries, SpiderMonkey treats values
 * above 2^31 as doubles and Firefox ran V1's CRC-32 about 30× slower than Chromium.
 */
let table: Int32Array | undefined

/** Built on first use rather than on import, so importing this module does no work. */
function crcTable(): Int32Array {
  if (table) return table
  table = new Int32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c
  }
  return table
}

/**
 * Continues a CRC-32 over more bytes: `crc32Update(crc32(a), b) === crc32(a ++ b)`.
 * Returns an unsigned 32-bit number.
 */
export function crc32Update(crc: number, bytes: Uint8Array): number {
  const t = crcTable()
  let c = ~crc
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8)
  return ~c >>> 0
}

/** Unsigned CRC-32 of `bytes`; `crc32(new TextEncoder().encode('123456789')) === 0xcbf43926`. */
export function crc32(bytes: Uint8Array): number {
  return crc32Update(0, bytes)
}
