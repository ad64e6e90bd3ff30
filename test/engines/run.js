// @ts-check
// The engine suite: builds the test page, starts the local Kodo server, and runs ./spec.js in each
// engine. Writes test-results/engines.json and prints one line per test.
// Usage: node test/engines/run.js [--engine chromium,firefox,webkit] [--grep text]
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

rmSync('test-results/engines.json', { force: true })
const { values: options } = parseArgs({ options: { engine: { type: 'string' }, grep: { type: 'string' } } })
const chosenEngines = options.engine ? engines.filter((engine) => options.engine?.split(',').includes(engine.name)) : engines
const chosenTests = engineTests.filter((test) => !options.grep || test.name.includes(options.grep))

/** @typedef {{ name: string, status: 'passed' | 'failed' | 'skipped', ms: number, error?: string }} TestResult */
/** @type {Array<{ engine: string, version?: string, ms: number, tests: TestResult[] }>} */
const report = []

const file = writeTestFile(64 * MiB)
const smallFile = writeTestFile(24 * MiB)
const pageDir = await buildPage(new URL('./page', import.meta.url).pathname)
const site = await serveStatic(pageDir)
const kodo = await startKodoServer()
try {
  for (const engine of chosenEngines) report.push(await runEngine(engine))
} finally {
  await Promise.all([kodo.close(), site.close()])
  rmSync(pageDir, { recursive: true, force: true })
  for (const { dir } of [file, smallFile]) rmSync(dir, { recursive: true, force: true })
}

const all = report.flatMap((engine) => engine.tests)
const count = (/** @type {string} */ status) => all.filter((test) => test.status === status).length
const summary = { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), engines: report }
mkdirSync('test-results', { recursive: true })
writeFileSync('test-results/engines.json', JSON.stringify(summary, null, 2))
for (const engine of report) {
  const of = (/** @type {string} */ status) => engine.tests.filter((test) => test.status === status).length
  console.log(`${engine.engine} (${engine.version ?? 'not started'}): ${of('passed')} passed, ${of('failed')} failed, ${of('skipped')} skipped in ${(engine.ms / 1000).toFixed(1)} s`)
}
console.log(`engines: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`)
process.exit(summary.failed > 0 ? 1 : 0)

/** @param {import('./engines.js').Engine} engine */
async function runEngine(engine) {
  const startedAt = Date.now()
  const elapsed = () => Date.now() - startedAt
  console.log(`\n--- ${engine.name} ---`)
  /** Every test fails with this reason: an engine that cannot run never passes silently. */
  const failAll = (/** @type {string} */ error) => {
    console.error(`${engine.name}: ${error}`)
    return { engine: engine.name, ms: elapsed(), tests: chosenTests.map((test) => ({ name: test.name, status: /** @type {const} */ ('failed'), ms: 0, error })) }
  }
  const unavailable = ensureEngine(engine)
  if (unavailable) return failAll(unavailable)
  /** @type {import('./drivers/page.js').EnginePage} */
  let page
  try {
    page = await withTimeout(engine.launch(), 60_000, 'launching the browser')
  } catch (error) {
    return failAll(`could not start: ${String(error)}`)
  }
  /** @type {TestResult[]} */
  const tests = []
  const ctx = { page, kodo, pageUrl: `${site.url}/`, file, smallFile, engine: engine.name, finished: new Map() }
  try {
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
    await withTimeout(page.close(), 20_000, 'closing the browser').catch((error) => console.error(String(error)))
  }
  return { engine: engine.name, version: page.version, ms: elapsed(), tests }
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
