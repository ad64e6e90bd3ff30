// @ts-check
// The soak run: a local Kodo server with seeded random faults, the soak page in Chromium, and a
// sequence of uploads from the seed's plan, each judged against the stored object.
import { startSoakEnvironment } from './environment.js'
import { faultConfig, planUploads, watchdogMs } from './plan.js'
import { judge, Tally } from './verify.js'

/** @typedef {import('./plan.js').UploadSpec} UploadSpec */
/** @typedef {import('./upload.js').UploadReport} UploadReport */

/**
 * @typedef {object} SoakOptions
 * @property {number} seed Drives the plan (sizes, methods, bytes) and the server's fault stream.
 * @property {number} count Uploads to run.
 * @property {number} [rate] Chance that an upload request gets a fault (default 0.08).
 * @property {(line: string) => void} [log] Progress lines (default: none).
 */

/**
 * @param {SoakOptions} options
 * @returns {Promise<{ tally: Tally, faults: number, workers: number, pageErrors: string[] }>} The verdicts,
 *   how many faults the server injected, how many Web Workers the page still had at the end (a leak
 *   check), and the page's uncaught errors.
 */
export async function runSoak({ seed, count, rate = 0.08, log = () => {} }) {
  const { kodo, page, open, pageErrors, close } = await startSoakEnvironment()
  try {
    kodo.randomFaults(faultConfig(seed, rate))
    const tally = new Tally()
    for (const spec of planUploads(seed, count)) {
      kodo.clearLog()
      const report = await runInPage(page, spec, { kodoUrl: kodo.url, token: kodo.makeToken() })
      const verdict = judge(spec, report, await kodo.objectInfo(spec.key))
      tally.add(spec, report, verdict)
      log(`#${spec.index} ${spec.mode} ${spec.size} B, ${spec.lanes} lane(s): ${verdict}${report.kind ? ` (${report.kind})` : ''} in ${report.elapsed} ms`)
      // What the server saw of an upload that did not complete, faults included: the first clue.
      if (verdict !== 'completed') report.requests = requestsSeen(kodo.requestLog())
      // A page that hung may be wedged: the next upload gets a fresh one.
      if (verdict === 'hung') await open()
      // Uploads' Blobs are dropped; collect them before the next large one (`--expose-gc` is on).
      await page.evaluate(() => /** @type {{ gc?: () => void }} */ (globalThis).gc?.())
    }
    return { tally, faults: kodo.listFaults().random?.hits ?? 0, workers: page.workers().length, pageErrors }
  } finally {
    await close()
  }
}

/**
 * Runs one upload in the page. The page has its own watchdog; this one is the backstop for a page
 * that stops answering altogether.
 * @param {import('playwright').Page} page
 * @param {UploadSpec} spec
 * @param {{ kodoUrl: string, token: string }} target
 * @returns {Promise<UploadReport>}
 */
async function runInPage(page, spec, target) {
  const backstop = watchdogMs(spec) + 15_000
  /** @type {Promise<UploadReport>} */
  const timeout = new Promise((resolve) => setTimeout(() => resolve({ outcome: 'hung', message: 'the page stopped answering', elapsed: backstop }), backstop).unref())
  const run = page.evaluate(({ spec, target }) => /** @type {any} */ (window).soak.run(spec, target), { spec, target })
  return Promise.race([run, timeout])
}

/**
 * The upload requests of the current upload, as `api:status` (`+fault` when one was injected,
 * `(committed)` when it stored the object).
 * @param {import('../../src/kodo-server/types.js').LogEntry[]} entries The server's request log.
 */
export function requestsSeen(entries) {
  return entries
    .filter((entry) => entry.api !== 'preflight')
    .map((entry) => `${entry.api}${entry.partNumber ? `#${entry.partNumber}` : ''}:${entry.status ?? '…'}${entry.fault ? `+${entry.fault}` : ''}${entry.committed ? '(committed)' : ''}`)
    .join(' ')
}
