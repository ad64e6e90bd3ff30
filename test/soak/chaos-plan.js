// @ts-check
// The chaos workload, derived from one seed: per upload a method, a part-size provider, a token kind,
// the server's faults, and a sequence of attempts that end in pauses, page deaths and reloads, with the
// file changed or the server's upload expired between them. The same seed gives the same plan anywhere.
import { xorshift32 } from './plan.js'

const KiB = 1024
const MiB = 1024 * KiB

/**
 * @typedef {object} ContentVersion What the file holds during an attempt.
 * @property {number} dataSeed Seed of the bytes (see bytes.js).
 * @property {{ seed: number, at: number } | null} patch Bytes from `at` on come from another seed: a file
 *   edited in place, with its name, size and mtime unchanged, so its resumable record still matches.
 * @property {number} lastModified
 */

/**
 * @typedef {{ kind: 'fixed', size: number } | { kind: 'odd', size: number } | { kind: 'multiply', size: number }
 *   | { kind: 'growing', size: number, step: number }} PartSizing
 * `fixed`: FixedDataPartitionProvider; `odd`: a size that is not a multiple of anything; `multiply`: an odd
 * size through MultiplyDataPartitionProvider; `growing`: an adaptive provider whose parts grow by `step`
 * after each part that went well and fall back to `size` after a failed or slow one (its answers through
 * MultiplyDataPartitionProvider), so parts of one upload differ in size and a resume meets another layout.
 */

/**
 * @typedef {object} Stop How an attempt is interrupted.
 * @property {'none' | 'pause' | 'death' | 'reload'} kind `pause`: abort, then the same uploader resumes;
 *   `death`: the last record write is lost, the uploader, manager and recorder are dropped and new ones
 *   resume from IndexedDB; `reload`: the same, then the page itself is reloaded mid-upload.
 * @property {'progress' | 'final-call'} [at] When the progress reaches `fraction`, or `delayMs` after the
 *   final call (completeParts, mkfile, form) was sent; for `final-call` the server commits and then holds
 *   its answer back, so the stop comes between the commit and the answer.
 * @property {number} [fraction]
 * @property {number} [delayMs]
 * @property {number} [afterMs] Fallback when the trigger never comes (streams have no total).
 */

/**
 * @typedef {object} Attempt
 * @property {number} version Index into the spec's versions: the file's content during this attempt.
 * @property {boolean} expire Before the attempt the server expires the key's V2 uploads and all V1 ctxs (real 612/701).
 * @property {Stop} stop
 */

/**
 * @typedef {object} ChaosFaults The server's seeded random faults during the upload.
 * @property {string} profile
 * @property {number} seed
 * @property {number} rate
 * @property {string[]} actions
 * @property {number[]} statuses
 * @property {string[]} whens
 * @property {number} seconds
 * @property {number} bytesPerSec
 */

/**
 * @typedef {object} ChaosSpec
 * @property {number} index
 * @property {string} key
 * @property {number} size
 * @property {'auto' | 'form' | 'v1' | 'v2' | 'stream'} mode
 * @property {PartSizing} partSizing
 * @property {number} lanes
 * @property {boolean} defaultLanes The default concurrency (lanes that grow) instead of `lanes`.
 * @property {'serial' | 'concurrent'} scheduler
 * @property {'bucket' | 'key' | 'provider' | 'short-lived'} token `bucket`/`key`: a fixed token of that scope;
 *   `provider`: asked from the server's admin API; `short-lived`: the same, valid 2 s, so it expires mid-upload.
 * @property {boolean} checkObjectHash
 * @property {ChaosFaults | null} faults
 * @property {ContentVersion[]} versions
 * @property {Attempt[]} attempts The last one is never stopped.
 */

const FAULT_PROFILES = {
  network: { actions: ['status', 'reset', 'stall'], statuses: [500, 502, 503, 504, 599], whens: ['before-body', 'during-body', 'after-handler'] },
  'lost-answers': { actions: ['reset', 'stall'], statuses: [503], whens: ['after-handler'] },
  'kodo-codes': { actions: ['status'], statuses: [612, 701, 401, 503, 509, 573, 429], whens: ['before-body'] },
  mixed: {
    actions: ['status', 'status', 'reset', 'stall', 'non-json', 'truncated-json', 'omit-reqid', 'throttle'],
    statuses: [500, 502, 503, 504, 509, 573, 599, 429, 612, 701, 401],
    whens: ['before-body', 'during-body', 'after-handler'],
  },
}

/**
 * @param {number} seed
 * @param {number} count
 * @param {{ maxSize?: number }} [options] `maxSize` caps file sizes (the `npm test` slice keeps them small).
 * @returns {ChaosSpec[]}
 */
export function planChaos(seed, count, { maxSize = 24 * MiB } = {}) {
  const next = xorshift32(seed)
  const random = () => next() / 2 ** 32
  const between = (/** @type {number} */ low, /** @type {number} */ high) => low + Math.floor(random() * (high - low + 1))
  /** @type {<T>(list: T[]) => T} */
  const pick = (list) => list[Math.floor(random() * list.length)]
  // Choices added later draw from a stream of their own, so a seed's earlier choices stay what they were.
  const nextLater = xorshift32(seed ^ 0x5eed1a7e)
  const later = () => nextLater() / 2 ** 32
  return Array.from({ length: count }, (_, index) => {
    const size = fold(pickSize(random, between), maxSize)
    const mode = size === 0 ? pick(/** @type {const} */ (['auto', 'form', 'v1'])) : pick(/** @type {const} */ (['auto', 'v2', 'v2', 'v2', 'v1', 'v1', 'form', 'stream']))
    const versions = [{ dataSeed: between(1, 2 ** 31), patch: null, lastModified: 1_700_000_000_000 + index * 1000 }]
    const attempts = planAttempts(random, between, pick, versions, size)
    return {
      index,
      key: `chaos-${seed}-${index}`,
      size,
      mode,
      partSizing: pickPartSizing(random, between),
      lanes: between(1, 4),
      defaultLanes: later() < 0.3,
      scheduler: random() < 0.25 ? 'serial' : 'concurrent',
      token: pick(/** @type {const} */ (['bucket', 'key', 'provider', 'short-lived'])),
      checkObjectHash: random() < 0.8,
      faults: pickFaults(random, between, pick),
      versions,
      attempts,
    }
  })
}

/**
 * Mostly multi-part sizes, where resume and the final call live; some form-sized and empty files.
 * @param {() => number} random
 * @param {(low: number, high: number) => number} between
 */
function pickSize(random, between) {
  const r = random()
  if (r < 0.04) return 0
  if (r < 0.2) return between(1, 4 * MiB)
  if (r < 0.85) return between(4 * MiB, 12 * MiB)
  return between(12 * MiB, 24 * MiB)
}

/**
 * Sizes above `maxSize` land between its half and itself, so a capped plan keeps its spread.
 * @param {number} size
 * @param {number} maxSize
 */
function fold(size, maxSize) {
  if (size <= maxSize) return size
  const half = Math.floor(maxSize / 2)
  return half + (size % (maxSize - half + 1))
}

/**
 * @param {() => number} random
 * @param {(low: number, high: number) => number} between
 * @returns {PartSizing}
 */
function pickPartSizing(random, between) {
  const r = random()
  if (r < 0.3) return { kind: 'fixed', size: between(1, 5) * MiB }
  if (r < 0.5) return { kind: 'odd', size: MiB + between(1, 3 * MiB) }
  if (r < 0.65) return { kind: 'multiply', size: MiB + between(1, 3 * MiB) }
  return { kind: 'growing', size: between(1, 2) * MiB, step: between(1, 2) * MiB }
}

/**
 * @param {() => number} random
 * @param {(low: number, high: number) => number} between
 * @param {<T>(list: T[]) => T} pick
 * @returns {ChaosFaults | null}
 */
function pickFaults(random, between, pick) {
  if (random() < 0.15) return null
  const profile = pick(/** @type {Array<keyof typeof FAULT_PROFILES>} */ (['network', 'lost-answers', 'kodo-codes', 'mixed', 'mixed']))
  // Stalls outlast the stall timeout (SOAK_STALL_TIMEOUT_MS), so each is noticed and retried.
  return { profile, seed: between(1, 2 ** 31), rate: 0.05 + random() * 0.2, seconds: 3, bytesPerSec: 4 * MiB, ...FAULT_PROFILES[profile] }
}

/**
 * Up to three interruptions, then an attempt that runs to the end; between attempts the file may change
 * (in place, or as a new file of the same name) and the server may expire the upload.
 * @param {() => number} random
 * @param {(low: number, high: number) => number} between
 * @param {<T>(list: T[]) => T} pick
 * @param {ContentVersion[]} versions Grows when the file changes.
 * @param {number} size
 * @returns {Attempt[]}
 */
function planAttempts(random, between, pick, versions, size) {
  const r = random()
  const interruptions = r < 0.25 ? 0 : r < 0.6 ? 1 : r < 0.85 ? 2 : 3
  /** @type {Attempt[]} */
  const attempts = []
  for (let i = 0; i <= interruptions; i++) {
    if (i > 0 && random() < 0.15) versions.push(changed(random, between, versions[versions.length - 1], size))
    const expire = i > 0 && random() < 0.12
    /** @type {Stop} */
    const stop =
      i === interruptions
        ? { kind: 'none' }
        : {
            kind: pick(/** @type {const} */ (['pause', 'pause', 'death', 'death', 'reload'])),
            ...(random() < 0.7 ? { at: 'progress', fraction: 0.05 + random() * 0.9 } : { at: 'final-call', delayMs: between(20, 1500) }),
            afterMs: between(300, 4000),
          }
    attempts.push({ version: versions.length - 1, expire, stop })
  }
  return attempts
}

/**
 * @param {() => number} random
 * @param {(low: number, high: number) => number} between
 * @param {ContentVersion} previous
 * @param {number} size
 * @returns {ContentVersion}
 */
function changed(random, between, previous, size) {
  // In place: same name, size and mtime, bytes changed past the first MiB (the record still matches).
  if (random() < 0.6 && size > MiB + 1) return { ...previous, patch: { seed: between(1, 2 ** 31), at: between(MiB, size - 1) } }
  return { dataSeed: between(1, 2 ** 31), patch: null, lastModified: previous.lastModified + 60_000 }
}

/**
 * How long an attempt may take before it counts as hung: generous (faults add backoffs, 3 s stalls and
 * token refreshes), but finite.
 * @param {ChaosSpec} spec
 */
export function attemptBoundMs(spec) {
  return 60_000 + Math.ceil(spec.size / MiB) * 2000
}

/** How long an interrupted attempt may take to settle once aborted. */
export const SETTLE_AFTER_ABORT_MS = 10_000

/**
 * Where a page that is being reloaded notes that its attempt completed after all.
 * @param {{ index: number }} spec
 * @param {number} attemptIndex
 */
export const completedKey = (spec, attemptIndex) => `chaos-completed-${spec.index}-${attemptIndex}`
