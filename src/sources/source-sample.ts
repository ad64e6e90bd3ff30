import { abortedError } from '../errors.js'
import type { Hasher } from '../hashing/hasher.js'
import { urlSafeBase64 } from '../utils/base64.js'

/** Each window of the sample: small enough that the sample takes a few ms, on any hasher. */
const WINDOW = 64 * 1024

/** Up to three 64 KiB windows of `blob` (start, middle, end) as one Blob of slices: nothing is copied. */
export function sampleWindows(blob: Blob): Blob {
  if (blob.size <= 3 * WINDOW) return blob
  const middle = Math.floor(blob.size / 2) - WINDOW / 2
  return new Blob([blob.slice(0, WINDOW), blob.slice(middle, middle + WINDOW), blob.slice(blob.size - WINDOW)])
}

/**
 * A digest of `blob`'s sample windows, to tell apart files of the same name, size and date. A SHA-256 by
 * WebCrypto where it exists (it does not wait for the hashing workers to start or to finish the parts
 * queued before it), else an MD5 by `hasher`; the prefix keeps the two apart.
 */
export async function sampleDigest(blob: Blob, hasher: Hasher, signal?: AbortSignal): Promise<string> {
  if (signal?.aborted) throw abortedError(signal)
  const windows = sampleWindows(blob)
  const subtle = globalThis.crypto?.subtle
  if (!subtle) return `md5:${(await hasher.digest(windows, { md5: true }, signal)).md5}`
  return `sha256:${urlSafeBase64(new Uint8Array(await subtle.digest('SHA-256', await windows.arrayBuffer())))}`
}
