// @ts-check
// The targets, checked against the measured figures. A miss is reported, never thrown:
// speeds on a shared 2-core machine are evidence, not a pass/fail test.

const MiB = 2 ** 20
const LANES = 4
const PART_BYTES = 4 * MiB

/**
 * @param {{
 *   unthrottled: import('./summarize.js').ContenderRow[],
 *   throttled: import('./summarize.js').ContenderRow[],
 *   latency: Array<{ ms: number, rows: import('./summarize.js').ContenderRow[] }>,
 *   resume: import('./resume-reload.js').ResumeFigures | undefined,
 *   bundle: import('./bundle-size.js').BundleSizes,
 * }} figures
 */
export function checkTargets({ unthrottled, throttled, latency, resume, bundle }) {
  const row = (/** @type {typeof unthrottled} */ rows, /** @type {string} */ id) => rows.find((r) => r.contender === id)
  const v2 = row(unthrottled, 'v2-md5')
  const v2Throttled = row(throttled, 'v2-md5')
  const qiniu = row(unthrottled, 'qiniu-js')
  const memoryLimit = LANES * PART_BYTES * 2 + 32 * MiB
  const mib = (/** @type {number | undefined} */ bytes) => `${((bytes ?? NaN) / MiB).toFixed(1)} MiB`
  const pct = (/** @type {number | undefined} */ ratio) => `${((ratio ?? NaN) * 100).toFixed(1)} %`
  /** CPU of the browser's processes (page, workers, renderer, browser), not the server's. */
  const browserCpu = (/** @type {typeof v2} */ r) => (r ? Object.entries(r.cpuSecondsPerGiB).reduce((sum, [cls, s]) => (cls === 'server' ? sum : sum + s), 0) : NaN)
  const cpuRatio = browserCpu(v2) / browserCpu(qiniu)
  const latencyRows = latency.map(({ ms, rows }) => {
    const [lib, qjs, wider] = [row(rows, 'v2-md5'), row(rows, 'qiniu-js'), row(rows, 'raw-xhr-6')]
    const met = (lib?.ratioToCeiling ?? 0) >= 0.97 && (lib?.mbps ?? 0) > (qjs?.mbps ?? Infinity)
    const toWider = wider ? `; × raw XHR with 6 lanes ${pct((lib?.mbps ?? NaN) / wider.mbps)}` : ''
    return target(`throttled + ${ms} ms per request: V2 with MD5 ≥ 97 % of raw XHR and ahead of qiniu-js`, `${pct(lib?.ratioToCeiling)} (qiniu-js ${pct(qjs?.ratioToCeiling)}${toWider})`, met)
  })
  return [
    target('throttled: V2 with MD5 ≥ 95 % of raw XHR', pct(v2Throttled?.ratioToCeiling), (v2Throttled?.ratioToCeiling ?? 0) >= 0.95),
    target('throttled: V2 with MD5, no long task > 50 ms', `${v2Throttled?.longTasks.count} (longest ${v2Throttled?.longTasks.longestMs.toFixed(0)} ms)`, v2Throttled?.longTasks.count === 0),
    target('loopback: V2 MD5 off ≥ 90 % of ceiling', pct(row(unthrottled, 'v2-no-md5')?.ratioToCeiling), (row(unthrottled, 'v2-no-md5')?.ratioToCeiling ?? 0) >= 0.9),
    target('loopback: V2 MD5 on ≥ 1.5× qiniu-js', `${((v2?.mbps ?? NaN) / (qiniu?.mbps ?? NaN)).toFixed(2)}×`, (v2?.mbps ?? 0) >= 1.5 * (qiniu?.mbps ?? Infinity)),
    target(`loopback: V2 renderer memory growth ≤ ${mib(memoryLimit)}`, mib(v2?.rssGrowthBytes), (v2?.rssGrowthBytes ?? Infinity) <= memoryLimit),
    target(`re-sent after reload ≤ ${mib(LANES * PART_BYTES)}`, mib(resume?.resentBytes), (resume?.resentBytes ?? Infinity) <= LANES * PART_BYTES),
    ...latencyRows,
    target('loopback: V2 browser CPU ≤ 0.6× qiniu-js', `${cpuRatio.toFixed(2)}× (${browserCpu(v2).toFixed(1)} / ${browserCpu(qiniu).toFixed(1)} s/GiB)`, cpuRatio <= 0.6),
    target('loopback: V2 no long task > 50 ms', `${v2?.longTasks.count}`, v2?.longTasks.count === 0),
    target('loopback: V2 first request ≤ 30 ms / first part ≤ 150 ms after upload()', `${v2?.firstApiRequestMs.toFixed(0)} / ${v2?.firstRequestMs.toFixed(0)} ms`, (v2?.firstApiRequestMs ?? Infinity) <= 30 && (v2?.firstRequestMs ?? Infinity) <= 150),
    target('own code ≤ 12 KB min+gzip (main chunk)', `${(bundle.ownCode.main.gzipBytes / 1000).toFixed(1)} KB`, bundle.ownCode.main.gzipBytes <= 12_000),
  ]
}

/** @param {string} name @param {string} value @param {boolean} met */
const target = (name, value, met) => ({ name, value, met })

/** @typedef {ReturnType<typeof checkTargets>} TargetRows */
