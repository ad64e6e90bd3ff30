import { UploadError } from '../errors.js'

/** A synchronous SHA-1, for where WebCrypto is missing. */
export type Sha1Js = (bytes: Uint8Array) => Uint8Array

/**
 * SHA-1 of `bytes`: WebCrypto where the page has it, the JavaScript SHA-1 `loadJs` gives where it does not
 * (WebCrypto exists only in secure contexts, so a plain-http page other than localhost has none). Like
 * WebCrypto, it has read `bytes` when it returns, so the caller may reuse them at once.
 */
export async function sha1With(bytes: ArrayBuffer | Uint8Array<ArrayBuffer>, loadJs: () => Promise<Sha1Js>): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle
  if (subtle) return new Uint8Array(await subtle.digest('SHA-1', bytes))
  const copy = bytes instanceof Uint8Array ? bytes.slice() : new Uint8Array(bytes.slice(0))
  return (await loadJs())(copy)
}

/** SHA-1 whose JavaScript fallback is a chunk of its own, fetched only by pages without WebCrypto. */
export function sha1(bytes: ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return sha1With(bytes, () =>
    import('./sha1-js.js').then(
      (module) => module.sha1Js,
      (cause: unknown) => {
        throw new UploadError('local-io', 'The JavaScript SHA-1 could not be loaded (this page has no WebCrypto).', { cause })
      },
    ),
  )
}
