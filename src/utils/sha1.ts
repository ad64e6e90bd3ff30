/**
 * SHA-1 of `bytes`: WebCrypto where the page has it, plain JavaScript where it does not (WebCrypto
 * exists only in secure contexts, so a plain-http page other than localhost has none). Like WebCrypto,
 * it has read `bytes` when it returns, so the caller may reuse them at once.
 */
export async function sha1(bytes: ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle
  if (subtle) return new Uint8Array(await subtle.digest('SHA-1', bytes))
  const copy = bytes instanceof Uint8Array ? bytes.slice() : new Uint8Array(bytes.slice(0))
  const { sha1Js } = await import('./sha1-js.js')
  return sha1Js(copy)
}
