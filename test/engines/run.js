// @ts-check
// The engine suite: builds the test page, starts the local Kodo server, and runs ./spec.js in each
// engine. Writes test/results/engines.json and prints one line per test.
// The engines run at the same time, each with its own Kodo server (the tests set its throttle and faults
// and read its request log); most of their time is spent waiting on throttled uploads, not on the CPU.
// Usage: node test/engines/run.js [--engine chromium,firefox,webkit] [--grep text] [--serial]
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startKodoServer } from '../../src/kodo-server/server.js'
import { buildPage } from '../setup/build-page.js'
import { serveStatic } from '../setup/static-server.js'
import { engines, ensureEngine } from './engines.js'
import { engineTests } from './spec.js'

const MiB = 1 << 20
const TEST_TIMEOUT = 180_000

rmSync('test/results/engines.json', { force: true })
const { values: options } = parseArgs({ options: { engine: { type: 'string' }, grep: { type: 'string' }, serial: { type: 'boolean' } } })
const chosenEngines = options.engine ? engines.filter((engine) => options.engine?.split(',').includes(engine.name)) : engines
const chosenTests = engineTests.filter((test) => !options.grep || test.name.includes(options.grep))

/** @typedef {{ name: string, status: 'passed' | 'failed' | 'skipped', ms: number, error?: string }} TestResult */
/** @typedef {{ engine: string, version?: string, ms: number, launchMs?: number, closeMs?: number, tests: TestResult[] }} EngineResult */
/** @type {EngineResult[]} */
const report = []

// Installs one after another (apt-get holds a lock); the browsers then start while the test files are
// written and the page is built (Firefox alone takes seconds to start).
const launches = new Map(chosenEngines.map((engine) => [engine, ensureEngine(engine) ?? launch(engine)]))
const file = writeTestFile(64 * MiB)
const smallFile = writeTestFile(24 * MiB)
const pageDir = await buildPage(new URL('./page', import.meta.url).pathname)
const site = await serveStatic(pageDir)
try {
  if (options.serial) for (const engine of chosenEngines) report.push(await runEngine(engine, launches.get(engine)))
  else report.push(...(await Promise.all(chosenEngines.map((engine) => runEngine(engine, launches.get(engine))))))
} finally {
  await site.close()
  rmSync(pageDir, { recursive: true, force: true })
  for (const { dir } of [file, smallFile]) rmSync(dir, { recursive: true, force: true })
}

const all = report.flatMap((engine) => engine.tests)
const count = (/** @type {string} */ status) => all.filter((test) => test.status === status).length
const summary = { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), engines: report }
mkdirSync('test/results', { recursive: true })
writeFileSync('test/results/engines.json', JSON.stringify(summary, null, 2))
for (const engine of report) {
  const of = (/** @type {string} */ status) => engine.tests.filter((test) => test.status === status).length
  const overhead = engine.launchMs === undefined ? '' : ` (launch ${seconds(engine.launchMs)}, close ${seconds(engine.closeMs ?? 0)})`
  console.log(`${engine.engine} (${engine.version ?? 'not started'}): ${of('passed')} passed, ${of('failed')} failed, ${of('skipped')} skipped in ${seconds(engine.ms)}${overhead}`)
}
console.log(`engines: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`)
process.exit(summary.failed > 0 ? 1 : 0)

/** @typedef {{ page: import('./drivers/page.js').EnginePage, startedAt: number, launchMs: number } | { error: string }} Launch */

/** @param {import('./engines.js').Engine} engine @returns {Promise<Launch>} */
async function launch(engine) {
  const startedAt = Date.now()
  try {
    const page = await withTimeout(engine.launch(), 60_000, 'launching the browser')
    return { page, startedAt, launchMs: Date.now() - startedAt }
  } catch (error) {
    return { error: `could not start: ${String(error)}` }
  }
}

/**
 * @param {import('./engines.js').Engine} engine
 * @param {Promise<Launch> | string | undefined} launching the browser starting, or why the engine cannot run
 * @returns {Promise<EngineResult>}
 */
async function runEngine(engine, launching) {
  const started = typeof launching === 'string' || launching === undefined ? { error: launching ?? 'not launched' } : await launching
  /** Every test fails with this reason: an engine that cannot run never passes silently. */
  if ('error' in started) {
    console.error(`${engine.name}: ${started.error}`)
    return { engine: engine.name, ms: 0, tests: chosenTests.map((test) => ({ name: test.name, status: 'failed', ms: 0, error: started.error })) }
  }
  const { page, startedAt, launchMs } = started
  const elapsed = () => Date.now() - startedAt
  console.log(`${engine.name}: ${page.version} started in ${seconds(launchMs)}`)
  /** @type {TestResult[]} */
  const tests = []
  /** @type {import('../../src/kodo-server/server.js').KodoServer | undefined} */
  let kodo
  let closeMs = 0
  try {
    kodo = await startKodoServer()
    const ctx = { page, kodo, pageUrl: `${site.url}/`, file, smallFile, engine: engine.name, finished: new Map() }
    for (const test of chosenTests) {
      const testStartedAt = Date.now()
      try {
        const outcome = await withTimeout(test.run(ctx), TEST_TIMEOUT, test.name)
        const ms = Date.now() - testStartedAt
        if (outcome?.skipped) tests.push({ name: test.name, status: 'skipped', ms, error: outcome.skipped })
        else tests.push({ name: test.name, status: 'passed', ms })
      } catch (error) {
        tests.push({ name: test.name, status: 'failed', ms: Date.now() - testStartedAt, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
      } finally {
        kodo.setThrottle(null)
        kodo.clearFaults()
      }
      const result = /** @type {TestResult} */ (tests.at(-1))
      const mark = { passed: '✓', failed: '✗', skipped: '-' }[result.status]
      console.log(`  ${mark} ${engine.name} › ${result.name} (${(result.ms / 1000).toFixed(1)} s)${result.error ? `\n      ${result.error.split('\n').slice(0, 6).join('\n      ')}` : ''}`)
    }
  } finally {
    const closingAt = Date.now()
    await withTimeout(page.close(), 20_000, 'closing the browser').catch((error) => console.error(String(error)))
    closeMs = Date.now() - closingAt
    await kodo?.close()
  }
  return { engine: engine.name, version: page.version, ms: elapsed(), launchMs, closeMs, tests }
}

/** @param {number} ms */
function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`
}

/** @template T @param {Promise<T>} promise @param {number} ms @param {string} what @returns {Promise<T>} */
function withTimeout(promise, ms, what) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms)))
  return /** @type {Promise<T>} */ (Promise.race([promise, timeout]).finally(() => clearTimeout(timer)))
}

/** @param {number} size */
function writeTestFile(size) {
  const dir = mkdtempSync(join(tmpdir(), 'qum-engines-'))
  const path = join(dir, 'movie.bin')
  const bytes = randomBytes(size)
  writeFileSync(path, bytes)
  return { dir, path, size, sha256: createHash('sha256').update(bytes).digest('hex') }
}
