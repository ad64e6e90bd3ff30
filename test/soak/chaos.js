// @ts-check
// The chaos run: each upload of the seed's plan goes through its attempts in the soak page (paused, its
// page killed or reloaded, its file changed, its server upload expired, under the upload's own seeded
// faults), and is then judged from what the server stored and logged.
import { setTimeout as sleep } from 'node:timers/promises'
import { startSoakEnvironment } from './environment.js'
import { attemptBoundMs, completedKey, planChaos, SETTLE_AFTER_ABORT_MS } from './chaos-plan.js'
import { ChaosTally, judge } from './chaos-verify.js'
import { requestsSeen } from './soak.js'

/** @typedef {import('./chaos-plan.js').ChaosSpec} ChaosSpec */
/** @typedef {import('./chaos-page.js').AttemptReport} AttemptReport */
/** @typedef {import('./chaos-verify.js').UploadTrace} UploadTrace */
/** @typedef {Awaited<ReturnType<typeof startSoakEnvironment>>} Environment */

/**
 * @typedef {object} ChaosOptions
 * @property {number} seed
 * @property {number} uploads
 * @property {number} [only] Run just this upload of the plan (a replay).
 * @property {(spec: ChaosSpec) => boolean} [select] Run only the uploads of the plan it picks (a focused hunt).
 * @property {number} [maxSize] Caps file sizes.
 * @property {number} [timeLimitMs] No upload starts after this long; the ones left count as not run.
 * @property {boolean} [requests] Log what the server saw of every upload, not only of those with a problem.
 * @property {(line: string) => void} [log]
 */

/**
 * @param {ChaosOptions} options
 * @returns {Promise<{ tally: ChaosTally, pageErrors: string[], notRun: number }>}
 */
export async function runChaos({ seed, uploads, only, select = () => true, maxSize, timeLimitMs = Infinity, requests = false, log = () => {} }) {
  const started = Date.now()
  const env = await startSoakEnvironment()
  try {
    const tally = new ChaosTally()
    const plan = planChaos(seed, Math.max(uploads, (only ?? -1) + 1), { maxSize })
    const specs = only === undefined ? plan.filter(select) : [plan[only]]
    for (const spec of specs) {
      if (Date.now() - started > timeLimitMs) return { tally, pageErrors: env.pageErrors, notRun: specs.length - tally.uploads }
      const trace = await runUpload(env, spec, seed)
      const verdict = judge(spec, trace)
      tally.add(spec, trace, verdict)
      const trail = trace.attempts.map((a) => (a.outcome === 'interrupted' ? a.stop : a.kind ? `${a.outcome}(${a.kind})` : a.outcome)).join(' → ')
      log(`#${spec.index} ${describeSpec(spec)}: ${trail}${verdict.problems.length ? ` — ${verdict.problems.join('; ')}` : ''}`)
      if (requests) log(`    requests: ${trace.requests}`)
      await env.page.evaluate(() => /** @type {{ gc?: () => void }} */ (globalThis).gc?.()).catch(() => {})
    }
    return { tally, pageErrors: env.pageErrors, notRun: 0 }
  } finally {
    await env.close()
  }
}

/**
 * @param {Environment} env
 * @param {ChaosSpec} spec
 * @param {number} seed
 * @returns {Promise<UploadTrace>}
 */
async function runUpload(env, spec, seed) {
  const { kodo } = env
  // A clean server per upload: no objects, uploads, ctxs or log of earlier ones (and no disk growth).
  await kodo.reset()
  if (spec.faults) kodo.randomFaults(spec.faults)
  const target = {
    kodoUrl: kodo.url,
    bucket: kodo.bucket,
    bucketToken: kodo.makeToken(),
    keyToken: kodo.makeToken({ key: spec.key }),
    dbName: `chaos-${seed}`,
  }
  /** @type {UploadTrace} */
  const trace = { attempts: [], storedAfter: [], commits: [], rejections: [], faults: 0, requests: '' }
  /** @type {import('../../src/kodo-server/types.js').LogEntry[]} */
  const log = []
  for (let i = 0; i < spec.attempts.length; i++) {
    const planned = spec.attempts[i]
    if (planned.expire) expireUploads(kodo, spec.key)
    // The final call takes effect, and its answer is still held back when the stop comes.
    if (planned.stop.at === 'final-call') kodo.addFaults(FINAL_CALLS.map((api) => ({ api, action: 'stall', when: 'after-handler', seconds: 3 })))
    const report = await attemptInPage(env, spec, i, target)
    trace.attempts.push({ ...report, stop: planned.stop.kind })
    // A reload kills the page mid-upload; a hung page may be wedged: both get a fresh page.
    if (report.outcome === 'hung' || (report.outcome === 'interrupted' && planned.stop.kind === 'reload')) {
      trace.rejections.push(...(await takeRejections(env)))
      await env.open()
      // The upload may have completed before the reload landed: then the app is done with this file.
      const key = completedKey(spec, i)
      if (await env.page.evaluate((key) => localStorage.getItem(key), key)) trace.attempts[i] = { ...trace.attempts[i], outcome: 'completed' }
    }
    // A request the page gave up on may still be stored by the server (a form body that had arrived):
    // the object and the log are read once every handler is done.
    await Promise.race([kodo.whenIdle(), sleep(HANDLERS_SETTLE_MS, undefined, { ref: false })])
    const entries = [...kodo.requestLog()]
    kodo.clearLog()
    log.push(...entries)
    for (const entry of entries) if (entry.committed && entry.key === spec.key) trace.commits.push({ api: entry.api, version: planned.version })
    trace.storedAfter.push((await kodo.objectInfo(spec.key))?.md5 ?? null)
    if (planned.stop.at === 'final-call') kodo.clearFaultRules()
    if (trace.attempts[i].outcome !== 'interrupted') break
  }
  trace.rejections.push(...(await takeRejections(env)))
  trace.faults = kodo.listFaults().random?.hits ?? 0
  trace.requests = requestsSeen(log)
  kodo.clearFaults()
  return trace
}

/**
 * One attempt in the page, with a backstop for a page that stops answering altogether.
 * @param {Environment} env
 * @param {ChaosSpec} spec
 * @param {number} attemptIndex
 * @param {import('./chaos-page.js').ChaosTarget} target
 * @returns {Promise<AttemptReport>}
 */
async function attemptInPage(env, spec, attemptIndex, target) {
  const backstop = attemptBoundMs(spec) + SETTLE_AFTER_ABORT_MS + 20_000
  /** @type {Promise<AttemptReport>} */
  const timeout = new Promise((resolve) => setTimeout(() => resolve({ outcome: 'hung', message: 'the page stopped answering', elapsed: backstop }), backstop).unref())
  const run = env.page
    .evaluate(({ spec, attemptIndex, target }) => /** @type {any} */ (window).chaos.attempt(spec, attemptIndex, target), { spec, attemptIndex, target })
    .catch((error) => /** @type {AttemptReport} */ ({ outcome: 'hung', message: `the page failed: ${error}`, elapsed: 0 }))
  return Promise.race([run, timeout])
}

const FINAL_CALLS = ['complete', 'mkfile', 'form']
/** The longest wait for the server's handlers after an attempt (a stalled answer holds one for 3 s). */
const HANDLERS_SETTLE_MS = 15_000

/** @param {Environment} env @returns {Promise<string[]>} */
async function takeRejections(env) {
  return env.page.evaluate(() => /** @type {any} */ (window).chaos.takeRejections()).catch(() => [])
}

/**
 * The key's live V2 uploads and every V1 ctx expire, as if their 7 days had passed.
 * @param {Environment['kodo']} kodo
 * @param {string} key
 */
function expireUploads(kodo, key) {
  for (const upload of kodo.listUploads()) if (upload.key === key) kodo.expireUpload(upload.uploadId)
  kodo.expireCtxs()
}

/** @param {ChaosSpec} spec */
export function describeSpec(spec) {
  const sizing = spec.partSizing.kind === 'growing' ? `growing ${spec.partSizing.size}+${spec.partSizing.step}` : `${spec.partSizing.kind} ${spec.partSizing.size}`
  const faults = spec.faults ? `${spec.faults.profile} faults @${spec.faults.rate.toFixed(2)}` : 'no faults'
  return `${spec.mode} ${spec.size} B, parts ${sizing}, ${spec.defaultLanes ? 'default lanes' : `${spec.lanes} lane(s)`} ${spec.scheduler}, ${spec.token} token${spec.checkObjectHash ? '' : ', no object hash'}, ${faults}`
}
