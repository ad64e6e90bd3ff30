#!/usr/bin/env node
// @ts-check
// `npm run bench` (full, < 10 min on 2 cores) and `node test/bench/run.js --smoke` (< 1 min, for
// `npm test`): uploads a file-backed File from headless Chromium to the local Kodo server with every
// contender, then hashing alone, a reload-and-resume, and the bundle size. Exits 1 if any run failed;
// speeds are reported, never asserted. `--src DIR` benchmarks another copy of src/ (a fix being tried).
import { execFileSync } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { budget } from './budget.js'
import { bundleSizes } from './bundle-size.js'
import { CEILING, CONTENDERS, LATENCY_CONTENDERS } from './contenders.js'
import { startBenchEnvironment } from './environment.js'
import { runHashing } from './hashing.js'
import { measureRun } from './measure.js'
import { writeReport } from './report.js'
import { measureResume } from './resume-reload.js'
import { runSuite } from './suite.js'
import { summarize } from './summarize.js'
import { checkTargets } from './targets.js'
import { writeTestFile } from './test-file.js'

const MiB = 2 ** 20
const started = Date.now()
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`

const { values: options } = parseArgs({ options: { smoke: { type: 'boolean', default: false }, src: { type: 'string' } } })
const smoke = Boolean(options.smoke)
const plan = budget(smoke)
const loadAtStart = loadavg()[0]

const { fileDir, kodo, browser, close } = await startBenchEnvironment('qum-bench-', options.src)
try {
  const measured = await measureInBrowser()
  const bundle = await bundleSizes(options.src)
  const unthrottled = summarize(measured.unthrottledRuns, CEILING)
  const throttled = summarize(measured.throttledRuns, CEILING)
  const latency = measured.latencyRuns.map(({ ms, runs }) => ({ ms, rows: summarize(runs, CEILING) }))
  const resume = 'resentBytes' in measured.resume ? measured.resume : undefined
  writeReport({
    context: {
      mode: smoke ? 'smoke' : 'full',
      library: options.src ?? librarySrcVersion(),
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model}, load average ${loadAtStart.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end`,
      chromium: measured.chromium,
      mainMiB: plan.mainBytes / MiB,
      smallMiB: (plan.smallBytes || plan.mainBytes) / MiB,
      hashMiB: plan.hashBytes / MiB,
      rounds: plan.rounds,
      throttledMBps: plan.throttledBytesPerSec / 1e6,
      latenciesMs: plan.latenciesMs,
      durationSeconds: Math.round((Date.now() - started) / 1000),
    },
    unthrottled,
    throttled,
    latency,
    hashing: measured.hashing,
    resume,
    bundle,
    targets: checkTargets({ unthrottled, throttled, latency, resume, bundle }),
    runs: { unthrottled: measured.unthrottledRuns, throttled: measured.throttledRuns, ...Object.fromEntries(measured.latencyRuns.map(({ ms, runs }) => [`latency${ms}`, runs])) },
  })
  const failures = [...unthrottled, ...throttled, ...latency.flatMap(({ rows }) => rows)].flatMap((row) => row.errors.map((error) => `${row.contender}: ${error}`))
  if (measured.resume.error) failures.push(`reload test: ${measured.resume.error}`)
  for (const failure of failures) console.error(`FAILED ${failure}`)
  console.log(`bench ${smoke ? 'smoke ' : ''}finished in ${elapsed()}: ${failures.length === 0 ? 'every run completed' : `${failures.length} failure(s)`}`)
  process.exitCode = failures.length === 0 ? 0 : 1
} finally {
  await close()
}

/** Which src/ was measured: the commit, and whether it had uncommitted changes (others work on it meanwhile). */
function librarySrcVersion() {
  const git = (/** @type {string[]} */ ...args) => execFileSync('git', args, { encoding: 'utf8' }).trim()
  try {
    return `src/ at ${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src') ? ' with uncommitted changes' : ''}`
  } catch {
    return 'src/ (not a git checkout)'
  }
}

/** Everything that runs in the page; closes the browser at the end to free the cores for the bundle builds. */
async function measureInBrowser() {
  const mainFile = writeTestFile(fileDir, 'main.bin', plan.mainBytes)
  const smallFile = plan.smallBytes ? writeTestFile(fileDir, 'small.bin', plan.smallBytes) : mainFile
  console.log(`files written (${elapsed()})`)

  await browser.open(mainFile.path)
  for (const id of plan.warmUpBytes ? [CEILING, 'v2-md5'] : []) await measureRun({ kodo, browser, file: mainFile }, id, plan.warmUpBytes)
  const ids = CONTENDERS.map((contender) => contender.id)
  const unthrottledRuns = await runSuite({ kodo, browser, file: mainFile }, ids, plan.rounds, 'loopback')

  await browser.pick(smallFile.path)
  const hashing = await runHashing(browser.page, plan.rounds, plan.hashWorkerCounts, plan.hashBytes)
  console.log(`hashing done (${elapsed()})`)

  await kodo.throttle(plan.throttledBytesPerSec)
  const throttledRuns = await runSuite({ kodo, browser, file: smallFile }, ids, plan.rounds, 'throttled')
  const latencyRuns = []
  for (const ms of plan.latenciesMs) {
    await kodo.latency(ms)
    latencyRuns.push({ ms, runs: await runSuite({ kodo, browser, file: smallFile }, LATENCY_CONTENDERS, plan.rounds, `throttled + ${ms} ms`) })
  }
  await kodo.latency(0)
  await kodo.throttle(null)

  /** @type {import('./resume-reload.js').ResumeFigures | { error: string }} */
  const resume = await measureResume({ kodo, browser, file: smallFile }, plan.reloadBytesPerSec).catch((error) => ({ error: String(error) }))
  console.log(`reload test done (${elapsed()})`)
  const chromium = browser.browser.version()
  await browser.browser.close()
  return { unthrottledRuns, hashing, throttledRuns, latencyRuns, resume, chromium }
}
