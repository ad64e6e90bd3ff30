#!/usr/bin/env node
// @ts-check
// Where the time goes under latency: uploads the same file once per contender on a throttled link
// with a delay on every request (preflights included), and splits each upload's time on the server
// log: before the first part's bytes, the link idle between parts, the tail after the last part,
// and per lane handover the gap, its preflight, and the rest (the client's own time); and the first request
// of any API (firstApiMs) and the first part (firstPartMs) after the page's upload() call, and the most
// data requests at once (the lanes reached).
// `node test/bench/latency-trace.js [--ms 75] [--mib 64] [--mbps 50 (0: unthrottled)] [--contenders raw-xhr,v2-md5,qiniu-js]`
import { parseArgs } from 'node:util'
import { startBenchEnvironment } from './environment.js'
import { measureRun } from './measure.js'
import { median } from './summarize.js'
import { writeTestFile } from './test-file.js'

const { values } = parseArgs({
  options: { ms: { type: 'string', default: '75' }, mib: { type: 'string', default: '64' }, mbps: { type: 'string', default: '50' }, contenders: { type: 'string', default: 'raw-xhr,v2-md5,v1-md5,qiniu-js' } },
})
const DATA_APIS = new Set(['part', 'mkblk', 'sink'])
const latencyMs = Number(values.ms)

const { fileDir, kodo, browser, close } = await startBenchEnvironment('qum-trace-')
try {
  const file = writeTestFile(fileDir, 'trace.bin', Number(values.mib) * 2 ** 20)
  await browser.open(file.path)
  await kodo.throttle(Number(values.mbps) * 1e6 || null)
  await kodo.latency(latencyMs)
  const rows = []
  for (const contender of values.contenders.split(',')) {
    console.log(`${contender}…`)
    const run = await measureRun({ kodo, browser, file }, contender)
    const cpu = Object.entries(run.cpuSecondsPerGiB).reduce((sum, [cls, seconds]) => (cls === 'server' ? sum : sum + seconds), 0)
    rows.push({ contender, mbps: run.mbps.toFixed(1), firstApiMs: run.firstApiRequestMs.toFixed(0), firstPartMs: run.firstRequestMs.toFixed(0), rssMiB: (run.rssGrowthBytes / 2 ** 20).toFixed(0), browserCpuSPerGiB: cpu.toFixed(1), ...split(await kodo.log()), error: run.error ?? '' })
  }
  console.log(`${values.mib} MiB, ${values.mbps} MB/s, ${latencyMs} ms on every request; times in ms (medians per handover)`)
  console.table(rows)
} finally {
  await close()
}

/**
 * A data request moves bytes from `startedAt + latency` (the server sleeps before reading the body) to `endedAt`.
 * @param {import('./kodo.js').LogEntry[]} log
 */
function split(log) {
  const data = log.filter((e) => DATA_APIS.has(e.api) && e.method !== 'OPTIONS' && e.endedAt !== null)
  const preflights = log.filter((e) => e.method === 'OPTIONS')
  const begin = Math.min(...log.map((e) => e.startedAt))
  const end = Math.max(...log.map((e) => e.endedAt ?? e.startedAt))
  const moving = data.map((e) => [e.startedAt + latencyMs, /** @type {number} */ (e.endedAt)]).sort((a, b) => a[0] - b[0])
  let idle = 0
  let reach = moving[0][0]
  for (const [from, to] of moving) {
    if (from > reach) idle += from - reach
    reach = Math.max(reach, to)
  }
  // Per handover: the request that takes a freed lane, its preflight (the OPTIONS for its URL, if any), and the rest.
  const starts = [...data].sort((a, b) => a.startedAt - b.startedAt)
  const ends = data.map((e) => /** @type {number} */ (e.endedAt)).sort((a, b) => a - b)
  /** @type {number[]} */
  const gaps = []
  /** @type {number[]} */
  const preflightSpans = []
  let freed = 0
  for (const entry of starts) {
    if (freed >= ends.length || ends[freed] > entry.startedAt) continue
    const from = ends[freed++]
    gaps.push(entry.startedAt - from)
    const preflight = preflights.find((p) => p.startedAt >= from && p.startedAt <= entry.startedAt)
    preflightSpans.push(preflight?.endedAt ? preflight.endedAt - preflight.startedAt : 0)
  }
  return {
    totalMs: Math.round(end - begin),
    beforeFirstBytesMs: Math.round(moving[0][0] - begin),
    linkIdleBetweenMs: Math.round(idle),
    afterLastBytesMs: Math.round(end - reach),
    parts: data.length,
    mostAtOnce: mostAtOnce(data),
    preflights: preflights.length,
    handoverGapMs: Math.round(median(gaps.length ? gaps : [NaN])),
    handoverPreflightMs: Math.round(median(preflightSpans.length ? preflightSpans : [NaN])),
    handoverClientMs: Math.round(median(gaps.map((gap, i) => gap - preflightSpans[i]))),
  }
}

/**
 * The most data requests the server held at once: the lanes an upload reached.
 * @param {import('./kodo.js').LogEntry[]} data
 */
function mostAtOnce(data) {
  const edges = data.flatMap((e) => [[e.startedAt, 1], [/** @type {number} */ (e.endedAt), -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1])
  let now = 0
  let most = 0
  for (const [, step] of edges) most = Math.max(most, (now += step))
  return most
}
