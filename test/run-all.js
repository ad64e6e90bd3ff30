// @ts-check
// `npm test`: finds (or installs) Chromium, runs every suite, and ends with one line `N passed, N failed`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromiumPath } from './setup/chromium.js'

const results = 'test-results'
mkdirSync(results, { recursive: true })

ensureChromium()

/** @type {Array<{ name: string, passed: number, failed: number }>} */
const suites = []

run('vitest', ['npx', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}/vitest.json`], {}, () => {
  const report = JSON.parse(readFileSync(`${results}/vitest.json`, 'utf8'))
  return { passed: report.numPassedTests, failed: report.numFailedTests + countSuiteErrors(report) }
})

run(
  'playwright',
  ['npx', 'playwright', 'test', '-c', 'test/e2e/playwright.config.ts', '--reporter=list,json'],
  { PLAYWRIGHT_JSON_OUTPUT_NAME: resolve(`${results}/playwright.json`) },
  () => {
    const { stats, errors = [] } = JSON.parse(readFileSync(`${results}/playwright.json`, 'utf8'))
    return { passed: stats.expected + stats.flaky, failed: stats.unexpected + errors.length }
  },
)

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
    suites.push({ name, ...read(child.status) })
  } catch {
    suites.push({ name, passed: 0, failed: 1 })
    console.error(`${name} exited with ${child.status} and wrote no report`)
  }
}

/** Files that failed to load (syntax errors, failing hooks) carry no test results of their own. */
function countSuiteErrors(/** @type {{ testResults?: Array<{ status: string, assertionResults: unknown[] }> }} */ report) {
  return (report.testResults ?? []).filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length
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
