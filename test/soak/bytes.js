// @ts-check
// The bytes of a soak upload, from its seed: generated in the page to upload them and again wherever
// they are checked, so no copy of the data has to travel. SparkMD5 runs in Node and in browsers alike.
import SparkMD5 from 'spark-md5'
import { xorshift32 } from './plan.js'

/**
 * Pseudo-random words, so 64 MiB take a few dozen milliseconds.
 * @param {number} seed
 * @param {number} size
 * @returns {Uint8Array}
 */
export function uploadBytes(seed, size) {
  const next = xorshift32(seed)
  const words = new Uint32Array(Math.ceil(size / 4))
  for (let i = 0; i < words.length; i++) words[i] = next()
  return new Uint8Array(words.buffer, 0, size)
}

/**
 * Hex MD5 of an upload's bytes: what the stored object must hash to.
 * @param {{ dataSeed: number, size: number }} spec
 */
export function expectedMd5(spec) {
  const bytes = uploadBytes(spec.dataSeed, spec.size)
  return SparkMD5.ArrayBuffer.hash(/** @type {ArrayBuffer} */ (bytes.buffer).slice(0, spec.size))
}

/**
 * The bytes of one content version of a chaos upload (see chaos-plan.js): its seed's bytes, with the
 * patched tail when the file was edited in place.
 * @param {import('./chaos-plan.js').ContentVersion} version
 * @param {number} size
 * @returns {Uint8Array}
 */
export function versionBytes(version, size) {
  const bytes = uploadBytes(version.dataSeed, size)
  if (version.patch) bytes.set(uploadBytes(version.patch.seed, size - version.patch.at), version.patch.at)
  return bytes
}

/**
 * @param {import('./chaos-plan.js').ContentVersion} version
 * @param {number} size
 */
export function versionMd5(version, size) {
  const bytes = versionBytes(version, size)
  return SparkMD5.ArrayBuffer.hash(/** @type {ArrayBuffer} */ (bytes.buffer).slice(bytes.byteOffset, bytes.byteOffset + size))
}
