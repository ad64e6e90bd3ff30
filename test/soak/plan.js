// @ts-check
// The soak workload, derived from one seed: which uploads to run (sizes, methods, contents) and which
// faults the server injects. The same seed gives the same workload in Node and in the browser.

const KiB = 1024
const MiB = 1024 * KiB

/**
 * @typedef {'auto' | 'form' | 'v1' | 'v2' | 'stream'} UploadMode
 * `auto`: the library picks (form up to 4 MiB, else V2); `form`, `v1`, `v2`: forced; `stream`: the
 * bytes as a ReadableStream through the auto uploader (no resume, no restart).
 */

/**
 * @typedef {object} UploadSpec
 * @property {number} index
 * @property {string} key
 * @property {number} size Bytes, 0 to 64 MiB.
 * @property {UploadMode} mode
 * @property {number} partSize For V2 (V1 blocks are always 4 MiB).
 * @property {number} lanes Parts at once.
 * @property {number} dataSeed Seed of the upload's bytes (see bytes.js).
 */

/**
 * xorshift32: a tiny seedable PRNG, for the plan and for the bytes alike.
 * @param {number} seed
 * @returns {() => number} The next 32-bit unsigned word.
 */
export function xorshift32(seed) {
  // Small seeds (1, 2, 7…) would start with small words; multiplying spreads their bits first.
  let x = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0 || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return x >>> 0
  }
}

/**
 * @param {number} seed
 * @param {number} count
 * @returns {UploadSpec[]}
 */
export function planUploads(seed, count) {
  const next = xorshift32(seed)
  const random = () => next() / 2 ** 32
  const between = (/** @type {number} */ low, /** @type {number} */ high) => low + Math.floor(random() * (high - low + 1))
  return Array.from({ length: count }, (_, index) => {
    const size = pickSize(random, between)
    return {
      index,
      key: `soak-${seed}-${index}`,
      size,
      mode: pickMode(random, size),
      partSize: between(1, 5) * MiB,
      lanes: between(1, 4),
      dataSeed: between(1, 2 ** 31),
    }
  })
}

/**
 * Mostly small files, some of a few MiB, a few large ones, now and then an empty one.
 * @param {() => number} random
 * @param {(low: number, high: number) => number} between
 */
function pickSize(random, between) {
  const r = random()
  if (r < 0.04) return 0
  if (r < 0.64) return between(1, 256 * KiB)
  if (r < 0.9) return between(256 * KiB, 9 * MiB)
  if (r < 0.98) return between(9 * MiB, 24 * MiB)
  return between(24 * MiB, 64 * MiB)
}

/**
 * Every method for every size, except V2 for an empty file: Kodo refuses a complete without parts.
 * @param {() => number} random
 * @param {number} size
 * @returns {UploadMode}
 */
function pickMode(random, size) {
  /** @type {UploadMode[]} */
  const modes = size === 0 ? ['auto', 'form', 'v1', 'stream'] : ['auto', 'auto', 'form', 'v1', 'v2', 'v2', 'stream']
  return modes[Math.floor(random() * modes.length)]
}

/**
 * The server's seeded random faults for a run: every upload request has a `rate` chance of one.
 * @param {number} seed
 * @param {number} rate
 */
export function faultConfig(seed, rate) {
  return {
    seed,
    rate,
    actions: ['status', 'status', 'reset', 'stall', 'non-json', 'truncated-json', 'omit-reqid', 'throttle'],
    statuses: [500, 502, 503, 504, 509, 573, 599, 429],
    // Longer than the soak's stall timeout, so a stall is noticed and retried.
    seconds: 3,
    // Slow, but fast enough for a part to keep moving.
    bytesPerSec: 4 * MiB,
  }
}

/** Settings the soak gives the library: faster stall detection than the 30 s default. */
export const SOAK_STALL_TIMEOUT_MS = 2000

/**
 * How long an upload may take before it counts as hung: generous, since faults add backoffs and
 * stalls, but finite.
 * @param {UploadSpec} spec
 */
export function watchdogMs(spec) {
  return 45_000 + Math.ceil(spec.size / MiB) * 1000
}
