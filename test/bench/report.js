// @ts-check
// The results as Markdown (printed and written to test/results/bench.md) and JSON (bench.json); a smoke
// run writes bench-smoke.md/.json instead, so `npm test` never overwrites the figures of a full run.
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { CONTENDERS, LATENCY_ONLY } from './contenders.js'

const MiB = 2 ** 20
const GiB = 2 ** 30
const CORES = cpus().length
const OUT_DIR = 'test/results'

/** How each figure is taken; printed under the tables so they can be read without the code. */
const METHODS = [
  'MB/s = 10^6 bytes per second, from the page calling upload() to its promise settling; median of the rounds (each round listed).',
  '× ceiling = median MB/s over the raw-XHR median of the same table.',
  'long tasks = PerformanceObserver({type: "longtask"}) in the page; worst round: count of tasks > 50 ms / the longest.',
  'RSS = peak growth of the renderer processes\' resident memory (/proc statm, every 100 ms; includes the hashing workers and file bytes read into memory). JS heap = peak growth of the page\'s main-thread JSHeapUsedSize (CDP Performance.getMetrics, every 100 ms; excludes ArrayBuffer contents and workers).',
  'first part (API) request = the server log\'s startedAt of the first part/mkblk/sink request (of the first request of any API, e.g. initParts) minus the page\'s clock (performance.timeOrigin + now()) at the upload() call; preflights not counted.',
  'requests / preflights = data requests (parts, blocks, sink PUTs) and CORS preflights in the server log: browsers cache a preflight per URL, and every V2 part has its own URL.',
  'lane gap = median, over the data requests that take a lane another one freed, of the server log\'s startedAt minus that request\'s endedAt: what a lane spends between a part\'s answer and the next part\'s first byte (its preflight, the record write, waiting for its digest).',
  'latency = the Kodo server waits this long before handling every request, preflights included (`POST /_admin/latency`), on the throttled link; the raw-XHR ceiling PUTs to one URL, so it pays one preflight in all.',
  'CPU s/GiB = /proc per-thread utime+stime of this run\'s Chromium: page = renderer main thread, workers = DedicatedWorker threads, renderer other = its compositor/IO/pool threads, browser = browser, network, storage and GPU processes; server = process.cpuUsage() of the Kodo server process. CPU-bound MB/s = what the cores could carry if that CPU time were the only limit (cores / total).',
]

/** @param {number} value @param {number} [digits] */
const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–')

/** @param {string[]} header @param {string[][]} rows */
function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- |').join('')}`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n')
}

/** @param {import('./summarize.js').ContenderRow[]} rows */
function uploadTable(rows) {
  const header = ['contender', 'MB/s (runs)', '× ceiling', 'long tasks', 'RSS growth MiB', 'JS heap growth MiB', 'first part (API) request ms', 'requests / preflights', 'lane gap ms']
  const cpuHeader = ['CPU s/GiB page', 'workers', 'renderer other', 'browser', 'server', 'total', 'CPU-bound MB/s']
  return table(
    [...header, ...cpuHeader],
    rows.map((row) => {
      const label = [...CONTENDERS, ...LATENCY_ONLY].find((c) => c.id === row.contender)?.label ?? row.contender
      const failed = row.errors.length > 0 ? ` **(${row.errors.length}/${row.rounds} failed)**` : ''
      const cpu = row.cpuSecondsPerGiB
      const total = Object.values(cpu).reduce((sum, seconds) => sum + seconds, 0)
      return [
        `${label}${failed}`,
        `${fixed(row.mbps)} (${row.mbpsRuns.map((mbps) => fixed(mbps, 0)).join(', ')})`,
        fixed(row.ratioToCeiling, 2),
        `${row.longTasks.count} / ${fixed(row.longTasks.longestMs, 0)} ms`,
        fixed(row.rssGrowthBytes / MiB),
        fixed(row.heapGrowthBytes / MiB),
        `${fixed(row.firstRequestMs, 0)} (${fixed(row.firstApiRequestMs, 0)})`,
        `${fixed(row.requests, 0)} / ${fixed(row.preflights, 0)}`,
        fixed(row.laneGapMs, 0),
        ...['page', 'workers', 'rendererOther', 'browser', 'server'].map((cls) => fixed(cpu[cls] ?? NaN, 2)),
        fixed(total, 2),
        fixed((CORES * GiB) / 1e6 / total, 0),
      ]
    }),
  )
}

/** @param {import('./bundle-size.js').BundleSizes} bundle */
function bundleTable(bundle) {
  const kb = (/** @type {number} */ bytes) => fixed(bytes / 1000, 1)
  const rows = /** @type {const} */ ([['own code (dependencies external)', 'ownCode'], ['with dependencies bundled', 'withDependencies']])
  return table(
    ['build of src/index.ts', 'main KB min', 'main KB gzip', 'worker KB min', 'worker KB gzip'],
    rows.map(([label, key]) => [label, kb(bundle[key].main.minBytes), kb(bundle[key].main.gzipBytes), kb(bundle[key].worker.minBytes), kb(bundle[key].worker.gzipBytes)]),
  )
}

/**
 * @param {{
 *   context: Record<string, unknown> & { mainMiB: number, smallMiB: number, hashMiB: number, rounds: number, throttledMBps: number },
 *   unthrottled: import('./summarize.js').ContenderRow[],
 *   throttled: import('./summarize.js').ContenderRow[],
 *   latency: Array<{ ms: number, rows: import('./summarize.js').ContenderRow[] }>,
 *   hashing: import('./hashing.js').HashingRows,
 *   resume: import('./resume-reload.js').ResumeFigures | undefined,
 *   bundle: import('./bundle-size.js').BundleSizes,
 *   targets: import('./targets.js').TargetRows,
 *   runs: Record<string, Record<string, import('./measure.js').RunOutcome[]>>,
 * }} results Everything goes to the JSON; `runs` (every round) only there.
 */
export function writeReport(results) {
  const { context, unthrottled, throttled, latency, hashing, resume, bundle, targets } = results
  const markdown = [
    `# Upload benchmark`,
    '',
    Object.entries(context).map(([name, value]) => `- ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`).join('\n'),
    '',
    '## Targets',
    '',
    table(['target', 'measured', 'met'], targets.map((t) => [t.name, t.value, t.met ? 'yes' : '**no**'])),
    '',
    `## Loopback, ${context.mainMiB} MiB file, ${context.rounds} round(s)`,
    '',
    uploadTable(unthrottled),
    '',
    `## Throttled to ${context.throttledMBps} MB/s, ${context.smallMiB} MiB file, ${context.rounds} round(s)`,
    '',
    uploadTable(throttled),
    '',
    ...latency.flatMap(({ ms, rows }) => [`## Throttled to ${context.throttledMBps} MB/s and ${ms} ms added to every request, ${context.smallMiB} MiB file, ${context.rounds} round(s)`, '', uploadTable(rows), '']),
    `## Hashing alone, MD5 of ${context.hashMiB} MiB of the file in 4 MiB slices, 4 in flight`,
    '',
    table(
      ['hasher', 'MB/s (runs)', 'CPU s/GiB (page + workers)'],
      hashing.map((row) => [row.hasher, `${fixed(row.mbps)} (${row.mbpsRuns.map((mbps) => fixed(mbps, 0)).join(', ')})`, fixed(row.cpuSecondsPerGiB, 2)]),
    ),
    '',
    '## Reload halfway, then resume (library V2, IndexedDB recorder)',
    '',
    resume
      ? table(
          ['file MiB', 'sent at reload MiB', 'part bytes received MiB', 're-sent MiB', 'bound MiB'],
          [[resume.fileBytes, resume.sentAtReload, resume.partBytes, resume.resentBytes, resume.boundBytes].map((bytes) => fixed(bytes / MiB))],
        ) + (resume.error ? `\n\n**failed:** ${resume.error}` : '')
      : 'not run',
    '',
    '## Bundle size',
    '',
    bundleTable(bundle),
    '',
    '## How the figures are taken',
    '',
    METHODS.map((line) => `- ${line}`).join('\n'),
    '',
  ].join('\n')
  const name = results.context.mode === 'smoke' ? 'bench-smoke' : 'bench'
  mkdirSync(OUT_DIR, { recursive: true })
  writeFileSync(`${OUT_DIR}/${name}.md`, markdown)
  writeFileSync(`${OUT_DIR}/${name}.json`, `${JSON.stringify(results, null, 2)}\n`)
  console.log(`\n${markdown}`)
}
