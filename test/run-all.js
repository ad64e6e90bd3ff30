// @ts-check
// `npm test`: finds (or installs) Chromium, runs every suite (the engine suite installs Firefox ESR and WebKitGTK), and ends with one line `N passed, N failed`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromiumPath } from './setup/chromium.js'

const results = 'test/results'
mkdirSync(results, { recursive: true })

/** @type {Array<{ name: string, passed: number, failed: number }>} */
const suites = []
/** What failed, by name, printed again just above the last line (CI keeps only the tail of the output). */
/** @type {string[]} */
const failures = []

// Cheap checks first: each counts its problems (a clean check is 1 passed).
const count = (/** @type {RegExp} */ pattern) => (/** @type {string} */ output) => output.match(pattern)?.length ?? 0
check('typecheck', ['npx', 'tsc', '-p', '.', '--noEmit'], count(/error TS\d+/g))
const biomeProblems = (/** @type {string} */ output) => [...output.matchAll(/Found (\d+) (errors?|warnings?)/g)].reduce((sum, [, n]) => sum + Number(n), 0)
check('lint', ['npm', 'run', '--silent', 'lint'], biomeProblems)
check('import graph', ['node', 'test/structure/import-graph.js'], count(/^(NEW CYCLE|FORBIDDEN)/gm))
check('file size', ['node', 'test/structure/file-size.js'], count(/^TOO LONG/gm))

ensureChromium()

run('vitest', ['npx', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}/vitest.json`], {}, () => {
  const report = JSON.parse(readFileSync(`${results}/vitest.json`, 'utf8'))
  for (const file of report.testResults ?? []) {
    const failedTests = file.assertionResults.filter((/** @type {{ status: string }} */ test) => test.status === 'failed')
    for (const test of failedTests) failures.push(`vitest: ${relative(file.name)} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`)
    if (file.status === 'failed' && failedTests.length === 0) failures.push(`vitest: ${relative(file.name)}: ${firstLine(file.message)}`)
  }
  return { passed: report.numPassedTests, failed: report.numFailedTests + countSuiteErrors(report) }
})

run(
  'playwright',
  ['npx', 'playwright', 'test', '-c', 'test/e2e/playwright.config.ts', '--reporter=list,json'],
  { PLAYWRIGHT_JSON_OUTPUT_NAME: resolve(`${results}/playwright.json`) },
  () => {
    const report = JSON.parse(readFileSync(`${results}/playwright.json`, 'utf8'))
    const { stats, errors = [] } = report
    failures.push(...playwrightFailures('playwright', report))
    return { passed: stats.expected + stats.flaky, failed: stats.unexpected + errors.length }
  },
)

// The key subset in Chromium, Firefox ESR and WebKitGTK (installs the missing engines when root on Debian;
// an engine that cannot start counts every one of its tests as failed).
run('engines', ['node', 'test/engines/run.js'], {}, () => {
  const { passed, failed, engines } = JSON.parse(readFileSync(`${results}/engines.json`, 'utf8'))
  for (const { engine, tests = [] } of engines ?? []) {
    for (const test of tests) if (test.status === 'failed') failures.push(`engines: ${engine} > ${test.name}: ${firstLine(test.error)}`)
  }
  return { passed, failed }
})

// publint, arethetypeswrong and the main entry's size budget, on the package as npm packs it.
run('package', ['node', 'test/package/run.js'], {}, () => {
  const checks = JSON.parse(readFileSync(`${results}/package.json`, 'utf8'))
  const passed = checks.filter((/** @type {{ passed: boolean }} */ check) => check.passed).length
  return { passed, failed: checks.length - passed }
})

// The packed tarball installed into a one-file app and built by Vite, webpack, esbuild and Rollup.
run('bundlers', ['node', 'test/bundlers/run.js', '--no-build'], {}, () => {
  const rows = JSON.parse(readFileSync(`${results}/bundlers.json`, 'utf8'))
  const passed = rows.filter((/** @type {{ passed: boolean }} */ row) => row.passed).length
  for (const row of rows) if (!row.passed) failures.push(`bundlers: ${row.id}`)
  return { passed, failed: rows.length - passed }
})

// The packed package installed into a tiny app whose own Playwright test uses the Kodo server entry.
run('consumer app', ['node', 'test/consumer/run.js'], {}, () => {
  const report = JSON.parse(readFileSync(`${results}/consumer.json`, 'utf8'))
  const { stats, errors = [] } = report
  failures.push(...playwrightFailures('consumer app', report))
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected + errors.length }
})

// The benchmark's smoke variant (small file, one round), so the benchmark cannot rot; it asserts no timings.
run('bench smoke', ['node', 'test/bench/run.js', '--smoke'], {}, (status) => ({ passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1 }))

// A seeded slice of the chaos run (`npm run chaos`): pauses, page deaths, reloads, changed files and
// faults on every API; it fails on a wrong object, a second commit, a hang or an unhandled rejection.
// Bounded twice: every upload has its own hang bound, no upload starts after 180 s, and the process is
// killed at 360 s.
const CHAOS_SLICE = ['--uploads', '12', '--seed', '11', '--max-size', String(6 << 20), '--time-limit', '180', '--quiet']
run('chaos slice', ['node', 'test/soak/chaos-run.js', ...CHAOS_SLICE], {}, (status) => ({ passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1 }), 360_000)

const passed = suites.reduce((sum, suite) => sum + suite.passed, 0)
const failed = suites.reduce((sum, suite) => sum + suite.failed, 0)
if (failures.length > 0) console.log(`\nFailed:\n${failures.map((failure) => `  ${failure}`).join('\n')}\n`)
for (const suite of suites) console.log(`${suite.name}: ${suite.passed} passed, ${suite.failed} failed`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)

/**
 * Runs one suite and reads its JSON report; a suite that crashes before writing one counts as a failure.
 * @param {string} name @param {string[]} command @param {Record<string, string>} env
 * @param {(status: number | null) => { passed: number, failed: number }} read
 * @param {number} [timeout] ms after which the suite is killed (its status is then null: a failure)
 */
function run(name, command, env, read, timeout) {
  console.log(`\n=== ${name} ===`)
  const child = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, ...env }, timeout, killSignal: 'SIGKILL' })
  try {
    const counts = read(child.status)
    suites.push({ name, ...counts })
    if (counts.failed > 0 && !failures.some((failure) => failure.startsWith(`${name}:`))) failures.push(`${name}: exited with ${child.status}`)
  } catch {
    suites.push({ name, passed: 0, failed: 1 })
    failures.push(`${name}: exited with ${child.status} and wrote no report`)
    console.error(`${name} exited with ${child.status} and wrote no report`)
  }
}

/**
 * Runs one check and prints its output; a failing check counts the problems in its output (at least one).
 * @param {string} name @param {string[]} command @param {(output: string) => number} problems
 */
function check(name, command, problems) {
  console.log(`\n=== ${name} ===`)
  const child = spawnSync(command[0], command.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const output = `${child.stdout ?? ''}${child.stderr ?? ''}`
  process.stdout.write(output)
  const failed = child.status === 0 ? 0 : Math.max(1, problems(output))
  if (failed > 0) failures.push(`${name}: ${failed} problem(s), see its output above`)
  suites.push({ name, passed: failed === 0 ? 1 : 0, failed })
}

/** Files that failed to load (syntax errors, failing hooks) carry no test results of their own. */
function countSuiteErrors(/** @type {{ testResults?: Array<{ status: string, assertionResults: unknown[] }> }} */ report) {
  return (report.testResults ?? []).filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length
}

/** @param {string} suite @param {{ suites?: PlaywrightSuite[], errors?: Array<{ message?: string }> }} report */
function playwrightFailures(suite, report) {
  /** @type {string[]} */
  const found = (report.errors ?? []).map((error) => `${suite}: ${firstLine(error.message)}`)
  /** @param {PlaywrightSuite} node @param {string} path */
  const walk = (node, path) => {
    for (const spec of node.specs ?? []) {
      const failedResult = spec.tests?.flatMap((test) => test.results ?? []).filter((result) => result.status !== 'passed' && result.status !== 'skipped').at(-1)
      if (spec.ok === false) found.push(`${suite}: ${path} > ${spec.title}: ${firstLine(failedResult?.error?.message)}`)
    }
    for (const child of node.suites ?? []) walk(child, path ? `${path} > ${child.title}` : child.title)
  }
  for (const node of report.suites ?? []) walk(node, node.title)
  return found
}
/** @typedef {{ title: string, specs?: Array<{ title: string, ok: boolean, tests?: Array<{ results?: Array<{ status: string, error?: { message?: string } }> }> }>, suites?: PlaywrightSuite[] }} PlaywrightSuite */

// Function declarations, not consts: the suites above run while this module is still being evaluated.
/** @param {string} path */
function relative(path) {
  return path.replace(`${process.cwd()}/`, '')
}

/** @param {string | undefined} text */
function firstLine(text) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes from reporters' messages
  return (text ?? '').replace(/\u001b\[[0-9;]*m/g, '').trim().split('\n')[0].slice(0, 240)
}

function ensureChromium() {
  if (existsSync(chromiumPath())) return
  const isRoot = process.getuid?.() === 0
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log('Chromium is missing: installing Debian\'s chromium package (apt-get install -y chromium)...')
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env })
  }
  if (!existsSync(chromiumPath())) {
    console.error('Chromium not found. Install it (Debian: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH to its binary.')
    process.exit(1)
  }
}
