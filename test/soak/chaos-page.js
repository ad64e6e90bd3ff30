// @ts-check
// The chaos run's side in the page: one attempt of an upload at a time, stopped the way the plan says
// (pause, page death), with the unhandled rejections the page sees. The Node runner reloads the page
// for a `reload` stop and judges what the server stored.
import { versionBytes } from './bytes.js'
import { attemptBoundMs, completedKey, SETTLE_AFTER_ABORT_MS } from './chaos-plan.js'
import { DyingRecorder } from './chaos-recorder.js'
import { SOAK_STALL_TIMEOUT_MS } from './plan.js'

/** @typedef {typeof import('../../src/index.js')} Library */
/** @typedef {import('./chaos-plan.js').ChaosSpec} ChaosSpec */
/** @typedef {{ kodoUrl: string, bucket: string, bucketToken: string, keyToken: string, dbName: string }} ChaosTarget */

/**
 * @typedef {object} AttemptReport
 * @property {'completed' | 'failed' | 'interrupted' | 'hung'} outcome `interrupted`: stopped by the plan and
 *   settled as `aborted` (or, for a reload, left running for the reload to kill).
 * @property {string} [kind] The UploadError's kind; 'untyped' when something else was thrown.
 * @property {string} [message]
 * @property {boolean} [triggered] The stop's trigger fired (else the attempt ended first).
 * @property {number} elapsed Milliseconds.
 */

/**
 * @typedef {object} Session What a page holds for one upload: lost on a page death or reload.
 * @property {number} index
 * @property {DyingRecorder} recorder
 * @property {import('../../src/index.js').AutoUploader} uploader
 * @property {{ onProgress?: (p: import('../../src/index.js').UploadProgress) => void, onRequest?: (r: import('../../src/index.js').RequestInfo) => void, onAnswer?: (r: import('../../src/index.js').ResponseInfo) => void }} hooks
 */

/** @param {Library} lib */
export function createChaosPage(lib) {
  /** One pool for the page's sessions: a dropped manager does not take its workers along. */
  const hasher = new lib.WorkerHasherPool()
  /** @type {string[]} */
  const rejections = []
  let currentIndex = -1
  addEventListener('unhandledrejection', (event) => rejections.push(`#${currentIndex}: ${describe(lib, event.reason).message}`))
  /** @type {Session | null} */
  let session = null

  return {
    /**
     * @param {ChaosSpec} spec
     * @param {number} attemptIndex
     * @param {ChaosTarget} target
     * @returns {Promise<AttemptReport>}
     */
    async attempt(spec, attemptIndex, target) {
      currentIndex = spec.index
      if (session?.index !== spec.index) session = newSession(lib, hasher, spec, target)
      const current = session
      const started = performance.now()
      const report = await runAttempt(lib, current, spec, attemptIndex)
      if (report.outcome === 'interrupted' && spec.attempts[attemptIndex].stop.kind === 'death') session = null
      return { ...report, elapsed: Math.round(performance.now() - started) }
    },
    takeRejections: () => rejections.splice(0),
  }
}

/**
 * @param {Library} lib
 * @param {InstanceType<Library['WorkerHasherPool']>} hasher
 * @param {ChaosSpec} spec
 * @param {ChaosTarget} target
 * @returns {Session}
 */
function newSession(lib, hasher, spec, target) {
  const recorder = new DyingRecorder(new lib.IndexedDbResumableRecorder({ dbName: target.dbName }))
  const manager = new lib.UploadManager({
    uploadToken: tokenFor(spec, target),
    bucket: target.bucket,
    upEndpoints: [target.kodoUrl],
    recorder,
    hasher,
    stallTimeout: SOAK_STALL_TIMEOUT_MS,
    onWarning: () => {},
  })
  /** @type {Session['hooks']} */
  const hooks = {}
  const uploader = manager
    .autoUploader({
      policy: spec.mode === 'form' ? new lib.AlwaysSinglePart() : spec.mode === 'v1' || spec.mode === 'v2' ? new lib.AlwaysMultiParts() : undefined,
      multiPartsVersion: spec.mode === 'v1' ? 'v1' : 'v2',
      scheduler: spec.scheduler,
      concurrency: spec.defaultLanes ? undefined : spec.lanes,
      partSize: partitioner(lib, spec.partSizing),
      checkObjectHash: spec.checkObjectHash,
    })
    .onUploadProgress((progress) => hooks.onProgress?.(progress))
    .onBeforeRequest((request) => hooks.onRequest?.(request))
    .onResponseOk((response) => hooks.onAnswer?.(response))
  return { index: spec.index, recorder, uploader, hooks }
}

/**
 * @param {ChaosSpec} spec
 * @param {ChaosTarget} target
 * @returns {string | import('../../src/index.js').UploadTokenProvider}
 */
function tokenFor(spec, target) {
  if (spec.token === 'bucket') return target.bucketToken
  if (spec.token === 'key') return target.keyToken
  const expiresIn = spec.token === 'short-lived' ? 2 : 3600
  return ({ objectName }) => /** @type {any} */ (window).kodoToken(objectName, expiresIn)
}

/**
 * @param {Library} lib
 * @param {import('./chaos-plan.js').PartSizing} sizing
 * @returns {import('../../src/index.js').DataPartitionProvider}
 */
function partitioner(lib, sizing) {
  switch (sizing.kind) {
    case 'fixed':
    case 'odd':
      return new lib.FixedDataPartitionProvider(sizing.size)
    case 'multiply':
      return new lib.MultiplyDataPartitionProvider(new lib.FixedDataPartitionProvider(sizing.size))
    case 'growing': {
      let size = sizing.size
      return new lib.MultiplyDataPartitionProvider({
        partSize: () => size,
        // Adaptive by throughput: a part that failed or was slow (a stall, a throttle) starts over small.
        feedback: ({ error, elapsed }) => {
          size = error || elapsed > SLOW_PART_MS ? sizing.size : size + sizing.step
        },
      })
    }
  }
}

/**
 * @param {Library} lib
 * @param {Session} session
 * @param {ChaosSpec} spec
 * @param {number} attemptIndex
 * @returns {Promise<Omit<AttemptReport, 'elapsed'>>}
 */
async function runAttempt(lib, session, spec, attemptIndex) {
  const { stop, version } = spec.attempts[attemptIndex]
  const file = new File([/** @type {BlobPart} */ (versionBytes(spec.versions[version], spec.size))], `chaos-${spec.index}.bin`, {
    type: 'application/octet-stream',
    lastModified: spec.versions[version].lastModified,
  })
  const controller = new AbortController()
  /** @type {() => void} */
  let fire = () => {}
  /** @type {Promise<'triggered'>} */
  const trigger = new Promise((resolve) => (fire = () => resolve('triggered')))
  session.hooks.onProgress = ({ transferredBytes, totalBytes }) => {
    if (stop.at === 'progress' && totalBytes && transferredBytes >= totalBytes * (stop.fraction ?? 1)) fire()
  }
  // The final call answered: the upload is done for the app, even if a reload lands before upload() resolves.
  session.hooks.onAnswer = ({ api }) => {
    if (['completeParts', 'mkfile', 'form'].includes(api)) localStorage.setItem(completedKey(spec, attemptIndex), '1')
  }
  session.hooks.onRequest = ({ api }) => {
    if (stop.at === 'final-call' && ['completeParts', 'mkfile', 'form'].includes(api)) setTimeout(fire, stop.delayMs ?? 0)
  }
  const timer = stop.kind === 'none' ? undefined : setTimeout(fire, stop.afterMs)
  const input = spec.mode === 'stream' ? file.stream() : file
  /** @type {Promise<Omit<AttemptReport, 'elapsed'>>} */
  const upload = session.uploader.upload(input, { objectName: spec.key, signal: controller.signal }).then(
    () => ({ outcome: 'completed' }),
    (error) => ({ outcome: 'failed', ...describe(lib, error) }),
  )
  const bound = sleep(attemptBoundMs(spec)).then(() => /** @type {const} */ ('bound'))
  const first = await Promise.race([upload, stop.kind === 'none' ? bound : Promise.race([trigger, bound])])
  clearTimeout(timer)
  session.hooks = { onAnswer: session.hooks.onAnswer }
  if (typeof first === 'object') return first
  if (first === 'bound') return settleAfterAbort(upload, controller, `no result after ${attemptBoundMs(spec)} ms`)
  // A reload: the Node runner navigates away now, killing the upload mid-flight (and the record write in
  // flight). Until it lands the page lives on, and the final call may still be answered (`onAnswer`).
  if (stop.kind === 'reload') return { outcome: 'interrupted', triggered: true }
  if (stop.kind === 'death') {
    // In the same tick: a dead page neither writes nor sends anything after this point.
    const dying = session.recorder.die()
    controller.abort()
    await dying
  }
  const report = await settleAfterAbort(upload, controller, 'stopped by the plan')
  if (report.outcome === 'failed' && report.kind === 'aborted') return { outcome: 'interrupted', triggered: true }
  return { ...report, triggered: true }
}

/**
 * Aborts an upload and waits (bounded) for it to settle: one that does not is hung.
 * @param {Promise<Omit<AttemptReport, 'elapsed'>>} upload
 * @param {AbortController} controller
 * @param {string} why
 * @returns {Promise<Omit<AttemptReport, 'elapsed'>>}
 */
async function settleAfterAbort(upload, controller, why) {
  controller.abort()
  const settled = await Promise.race([upload, sleep(SETTLE_AFTER_ABORT_MS).then(() => null)])
  if (settled && why === 'stopped by the plan') return settled
  if (settled) return { outcome: 'hung', message: `${why}; aborted, it then ended as ${settled.kind ?? settled.outcome}` }
  return { outcome: 'hung', message: `${why}; not settled ${SETTLE_AFTER_ABORT_MS} ms after abort()` }
}

/**
 * @param {Library} lib
 * @param {unknown} error
 */
function describe(lib, error) {
  if (lib.isUploadError(error)) return { kind: error.kind, message: `${error.kind}: ${error.message}` }
  return { kind: 'untyped', message: String(error instanceof Error ? `${error.name}: ${error.message}` : error) }
}

/** A part slower than this makes the adaptive provider start over from its small size. */
const SLOW_PART_MS = 1500

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
