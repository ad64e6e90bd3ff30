// @ts-check
// One timed upload by one contender: a clean server, a collected heap, the metrics around the page's
// upload() call, then checks that the bytes arrived whole.
import { startMetrics } from './metrics.js'
import { median } from './summarize.js'

const GiB = 2 ** 30
/** Requests that carry file bytes, per contender's protocol. */
const DATA_APIS = new Set(['part', 'mkblk', 'sink'])
/** A run slower than 2 MB/s after a 30 s allowance has hung; no contender comes close on loopback. */
const TIMEOUT_MS = 30_000
const SLOWEST_BYTES_PER_MS = 2_000

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @returns {Promise<T>}
 */
function withTimeout(promise, ms) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer after ${Math.round(ms / 1000)} s`)), ms)))
  promise.catch(() => {}) // after a timeout the page is replaced and this rejects; nobody waits for it any more
  return /** @type {Promise<T>} */ (Promise.race([promise, timeout]).finally(() => clearTimeout(timer)))
}

/**
 * @typedef {object} RunFigures
 * @property {string} contender
 * @property {number} mbps
 * @property {number} elapsedMs
 * @property {{ count: number, longestMs: number }} longTasks
 * @property {number} firstRequestMs Server log startedAt of the first data request minus the page's upload() time.
 * @property {number} firstApiRequestMs The same for the first request of any API (V2: initParts), preflights not counted.
 * @property {number} requests Data requests the server saw (preflights not counted).
 * @property {number} preflights CORS preflights the server answered: one per distinct URL, so V2 pays one per part.
 * @property {number} laneGapMs Median time from a data request's answer to the start of the data request that takes its lane
 *   (the next part's first byte at the server): preflights, record writes and waiting for a digest all fall in it.
 * @property {number} rssGrowthBytes
 * @property {number} heapGrowthBytes
 * @property {Record<string, number>} cpuSecondsPerGiB
 * @property {string} [error] The upload failed or its bytes arrived wrong.
 */

/** @typedef {RunFigures | { contender: string, error: string }} RunOutcome A run that threw has no figures. */

/** @typedef {{ kodo: import('./kodo.js').Kodo, browser: import('./browser.js').Browser, file: import('./test-file.js').TestFile }} Env */

/**
 * @param {Env} env
 * @param {string} contender
 * @param {number} [bytes] Upload only the file's first bytes (warm-up).
 * @returns {Promise<RunFigures>}
 */
export async function measureRun(env, contender, bytes) {
  const size = bytes ?? env.file.size
  await env.kodo.reset()
  const key = `bench/${contender}/${Date.now()}`
  const request = { contender, kodoUrl: env.kodo.url, token: await env.kodo.token(key), key, bytes }
  const { result, cost } = await timedUpload(env, request, size)
  // Parts other than 4 MiB give a hash of the part layout, not the file's qetag (the library checked that one itself).
  const qetag = bytes === undefined && !contender.endsWith('-adaptive') ? env.file.qetag : undefined
  const error = result.error ?? (await arrivalError(env.kodo, contender, key, size, qetag))
  return {
    contender,
    mbps: size / 1e6 / (result.elapsedMs / 1000),
    elapsedMs: result.elapsedMs,
    longTasks: result.longTasks,
    ...requestFigures(await env.kodo.log(), result.calledAt),
    rssGrowthBytes: cost.rssGrowthBytes,
    heapGrowthBytes: cost.heapGrowthBytes,
    cpuSecondsPerGiB: Object.fromEntries(Object.entries(cost.cpuSeconds).map(([cls, seconds]) => [cls, (seconds * GiB) / size])),
    ...(error && { error }),
  }
}

/**
 * Runs the upload in the page with the metrics around it, and frees its workers afterwards.
 * @param {Env} env
 * @param {import('./page/main.js').RunRequest} request
 * @param {number} size
 */
async function timedUpload({ kodo, browser, file }, request, size) {
  await browser.page.evaluate(() => /** @type {any} */ (globalThis).gc?.())
  const metrics = await startMetrics(browser.cdp, kodo)
  const run = browser.page.evaluate((request) => window.bench.run(request), request)
  const result = await withTimeout(run, TIMEOUT_MS + size / SLOWEST_BYTES_PER_MS).catch(async (error) => {
    // A hung contender: stop measuring and load a fresh page, which cancels whatever still runs.
    await metrics.stop()
    await browser.open(file.path)
    throw error
  })
  const cost = await metrics.stop()
  await browser.page.evaluate(() => window.bench.dispose())
  return { result, cost }
}

/**
 * @param {import('./kodo.js').LogEntry[]} log
 * @param {number} calledAt The page's upload() time, epoch ms.
 */
function requestFigures(log, calledAt) {
  const calls = log.filter((entry) => entry.method !== 'OPTIONS')
  const data = calls.filter((entry) => DATA_APIS.has(entry.api))
  return {
    laneGapMs: median(laneGaps(data)),
    firstRequestMs: Math.min(...data.map((entry) => entry.startedAt)) - calledAt,
    firstApiRequestMs: Math.min(...calls.map((entry) => entry.startedAt)) - calledAt,
    requests: data.length,
    preflights: log.length - calls.length,
  }
}

/**
 * Each data request that starts after another has ended takes the lane the earliest unclaimed end
 * freed; the gaps between them. The requests that start before any has ended open the lanes.
 * @param {import('./kodo.js').LogEntry[]} data
 */
function laneGaps(data) {
  const starts = data.map((entry) => entry.startedAt).sort((a, b) => a - b)
  const ends = data.flatMap((entry) => (entry.endedAt === null ? [] : [entry.endedAt])).sort((a, b) => a - b)
  const gaps = []
  let freed = 0
  for (const start of starts) {
    if (freed < ends.length && ends[freed] <= start) gaps.push(start - ends[freed++])
  }
  return gaps.length ? gaps : [NaN]
}

/**
 * Why the upload's bytes did not arrive as sent, or undefined when they did.
 * @param {import('./kodo.js').Kodo} kodo
 * @param {string} contender
 * @param {string} key
 * @param {number} size
 * @param {string} [qetag] Expected Kodo hash (whole file only).
 */
async function arrivalError(kodo, contender, key, size, qetag) {
  if (contender.startsWith('raw-xhr')) {
    const { total } = await kodo.sinkTotal()
    return total === size ? undefined : `the sink counted ${total} bytes, not ${size}`
  }
  const object = await kodo.object(key)
  if (!object) return 'no object was stored'
  if (object.fsize !== size) return `the stored object has ${object.fsize} bytes, not ${size}`
  if (qetag && object.hash !== qetag) return `the stored object's hash is ${object.hash}, not ${qetag}`
  return undefined
}
