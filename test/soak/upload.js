// @ts-check
// One soak upload, run in the page: builds the bytes, uploads them the way the plan says, and reports a
// completed upload, a typed failure, or a hang (the watchdog aborts a hung upload and says so).
import { uploadBytes } from './bytes.js'
import { SOAK_STALL_TIMEOUT_MS, watchdogMs } from './plan.js'

/** @typedef {typeof import('../../src/index.js')} Library */
/** @typedef {import('./plan.js').UploadSpec} UploadSpec */

/**
 * @typedef {object} UploadReport
 * @property {'completed' | 'failed' | 'hung'} outcome
 * @property {string} [kind] The UploadError's kind; 'untyped' when something else was thrown.
 * @property {string} [message]
 * @property {number} elapsed Milliseconds.
 * @property {string} [requests] What the server saw of it (filled in by the Node runner for uploads that did not complete).
 */

/**
 * @param {Library} lib
 * @param {UploadSpec} spec
 * @param {{ kodoUrl: string, token: string }} target
 * @returns {Promise<UploadReport>}
 */
export async function runUpload(lib, spec, target) {
  const controller = new AbortController()
  const manager = new lib.UploadManager({
    uploadToken: target.token,
    upEndpoints: [target.kodoUrl],
    recorder: new lib.MemoryResumableRecorder(),
    stallTimeout: SOAK_STALL_TIMEOUT_MS,
  })
  const started = performance.now()
  /** @type {Promise<Omit<UploadReport, 'elapsed'>>} */
  const upload = send(lib, manager, spec, controller.signal).then(
    () => ({ outcome: 'completed' }),
    (error) => ({ outcome: 'failed', ...describe(lib, error) }),
  )
  const report = await withWatchdog(upload, watchdogMs(spec), controller)
  return { ...report, elapsed: Math.round(performance.now() - started) }
}

/**
 * @param {Library} lib
 * @param {InstanceType<Library['UploadManager']>} manager
 * @param {UploadSpec} spec
 * @param {AbortSignal} signal
 */
function send(lib, manager, spec, signal) {
  const blob = new Blob([/** @type {BlobPart} */ (uploadBytes(spec.dataSeed, spec.size))])
  const params = { objectName: spec.key, signal }
  const lanes = { concurrency: spec.lanes, partSize: spec.partSize }
  switch (spec.mode) {
    case 'auto':
      return manager.autoUploader(lanes).upload(blob, params)
    case 'form':
      return manager.autoUploader({ policy: new lib.AlwaysSinglePart() }).upload(blob, params)
    case 'v1':
      return manager.autoUploader({ ...lanes, policy: new lib.AlwaysMultiParts(), multiPartsVersion: 'v1' }).upload(blob, params)
    case 'v2':
      return manager.autoUploader({ ...lanes, policy: new lib.AlwaysMultiParts() }).upload(blob, params)
    case 'stream':
      return manager.autoUploader(lanes).upload(blob.stream(), params)
  }
}

/**
 * @param {Library} lib
 * @param {unknown} error
 */
function describe(lib, error) {
  if (lib.isUploadError(error)) return { kind: error.kind, message: error.message }
  return { kind: 'untyped', message: String(error) }
}

/**
 * The upload's report, or 'hung' once `ms` have passed; a hung upload is aborted, and the report says
 * whether even the abort could settle it.
 * @param {Promise<Omit<UploadReport, 'elapsed'>>} upload
 * @param {number} ms
 * @param {AbortController} controller
 * @returns {Promise<Omit<UploadReport, 'elapsed'>>}
 */
async function withWatchdog(upload, ms, controller) {
  const timedOut = await Promise.race([upload, sleep(ms).then(() => null)])
  if (timedOut) return timedOut
  controller.abort()
  const afterAbort = await Promise.race([upload, sleep(5000).then(() => null)])
  const message = afterAbort ? `no result after ${ms} ms; aborted, it then ended as ${afterAbort.kind ?? afterAbort.outcome}` : `no result after ${ms} ms, not even once aborted`
  return { outcome: 'hung', message }
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
