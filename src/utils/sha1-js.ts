// Loaded by sha1() only where WebCrypto is missing (no secure context): most pages never fetch it.

/** FIPS 180-4 SHA-1 over whole 64-byte blocks of the input, then its padded tail. */
export function sha1Js(bytes: Uint8Array): Uint8Array {
  const state = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0])
  const words = new Int32Array(80)
  const whole = bytes.length - (bytes.length % 64)
  const input = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let offset = 0; offset < whole; offset += 64) compress(state, words, input, offset)
  // The tail, a 0x80 byte, zeros, and the length in bits (64-bit big-endian): one or two blocks.
  const tail = new Uint8Array(bytes.length % 64 < 56 ? 64 : 128)
  tail.set(bytes.subarray(whole))
  tail[bytes.length % 64] = 0x80
  const tailView = new DataView(tail.buffer)
  tailView.setUint32(tail.length - 8, Math.floor(bytes.length / 0x20000000))
  tailView.setUint32(tail.length - 4, (bytes.length * 8) >>> 0)
  for (let offset = 0; offset < tail.length; offset += 64) compress(state, words, tailView, offset)
  const digest = new Uint8Array(20)
  const out = new DataView(digest.buffer)
  state.forEach((word, i) => out.setInt32(i * 4, word))
  return digest
}

function compress(state: Int32Array, w: Int32Array, view: DataView, offset: number): void {
  for (let i = 0; i < 16; i++) w[i] = view.getInt32(offset + i * 4)
  for (let i = 16; i < 80; i++) {
    const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!
    w[i] = (x << 1) | (x >>> 31)
  }
  let a = state[0]!
  let b = state[1]!
  let c = state[2]!
  let d = state[3]!
  let e = state[4]!
  for (let i = 0; i < 80; i++) {
    const f = i < 20 ? ((b & c) | (~b & d)) + 0x5a827999 : i < 40 ? (b ^ c ^ d) + 0x6ed9eba1 : i < 60 ? ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc : (b ^ c ^ d) + 0xca62c1d6
    const t = (((a << 5) | (a >>> 27)) + f + e + w[i]!) | 0
    e = d
    d = c
    c = (b << 30) | (b >>> 2)
    b = a
    a = t
  }
  state[0]! += a
  state[1]! += b
  state[2]! += c
  state[3]! += d
  state[4]! += e
}
