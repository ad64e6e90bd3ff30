// @ts-check
// The bundler matrix: packs the library as npm publishes it, installs the tarball (not a link) into
// a one-file app, builds the app with each bundler in bundlers.js, and in Chromium uploads a
// multi-part file to the local Kodo server. A row passes when the page hashed in a Worker and the
// stored object is byte-identical. Writes test/results/bundlers.json and bundlers.md.
// `node test/bundlers/run.js [row-id ...] [--no-build]`
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright'
import { startKodoServer } from '../../src/kodo-server/server.js'
import { chromiumArgs, chromiumPath } from '../setup/chromium.js'
import { rows, writeApp } from './bundlers.js'

const ROOT = new URL('../../', import.meta.url).pathname
rmSync(join(ROOT, 'test/results/bundlers.json'), { force: true }) // a crash must not leave the last run's results behind
const SIZE = 9 * 2 ** 20 + 5 // three 4 MiB parts
const args = process.argv.slice(2)
const chosen = rows.filter((row) => !args.some((arg) => !arg.startsWith('--')) || args.includes(row.id))

const npm = (/** @type {string[]} */ argv, /** @type {string} */ cwd) => execFileSync('npm', argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
if (!args.includes('--no-build')) npm(['run', 'build', '--silent'], ROOT)
const work = mkdtempSync(join(tmpdir(), 'qum-bundlers-'))
const [{ filename }] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], ROOT))
const app = join(work, 'app')
mkdirSync(app)
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'bundler-app', private: true, type: 'module' }))
npm(['install', join(work, filename), '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app)
await writeApp(app)

const kodo = await startKodoServer()
const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs })
/** @type {Array<Record<string, unknown> & { id: string, passed: boolean }>} */
const outcomes = []
try {
  for (const row of chosen) outcomes.push({ ...(await runRow(row)), id: row.id, bundler: `${row.bundler} ${row.version}`, setup: row.setup })
} finally {
  await browser.close()
  await kodo.close()
  rmSync(work, { recursive: true, force: true })
}

mkdirSync(join(ROOT, 'test/results'), { recursive: true })
writeFileSync(join(ROOT, 'test/results/bundlers.json'), JSON.stringify(outcomes, null, 2))
const table = [
  '| bundler | setup | hashing in a Worker | upload byte-identical | result |',
  '| --- | --- | --- | --- | --- |',
  ...outcomes.map((o) => `| ${o.bundler} | ${o.setup} | ${o.worker ?? '–'} | ${o.identical ? 'yes' : 'no'} | ${o.passed ? 'pass' : `**fail**: ${o.error}`} |`),
].join('\n')
writeFileSync(join(ROOT, 'test/results/bundlers.md'), table + '\n')
console.log(table)
const failed = outcomes.filter((o) => !o.passed).length
console.log(`bundlers: ${outcomes.length - failed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)

/** Builds and serves one row, uploads from its page, and checks what the page and the server saw. @param {import('./bundlers.js').Row} row */
async function runRow(row) {
  const started = Date.now()
  /** @type {import('./bundlers.js').Served | undefined} */
  let served
  const page = await browser.newPage()
  /** @type {string[]} */
  const workers = []
  page.on('worker', (worker) => workers.push(worker.url()))
  /** The scripts the page fetched: with the page, then after it was ready (the upload's chunks). */
  const scripts = { withPage: /** @type {Promise<string>[]} */ ([]), later: /** @type {Promise<string>[]} */ ([]) }
  let ready = false
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') (ready ? scripts.later : scripts.withPage).push(response.text().catch(() => ''))
  })
  try {
    served = await row.serve({ app, out: join(work, 'out', row.id) })
    await page.goto(served.url)
    await page.waitForFunction(() => /** @type {any} */ (window).ready === true, undefined, { timeout: 30_000 })
    ready = true
    const args = /** @type {const} */ ([kodo.url, kodo.makeToken(), SIZE])
    const seen = await page.evaluate(([url, token, size]) => /** @type {any} */ (window).runUpload(url, token, size), args)
    const stored = await kodo.objectBytes(seen.key)
    const identical = stored !== null && createHash('sha256').update(stored).digest('hex') === seen.sha256
    const inWorker = seen.hashing.kind === 'worker' && seen.hashing.confirmed && workers.length > 0
    const worker = !inWorker ? 'no' : seen.hashing.via === 'inline' ? 'yes, from the inlined source (`blob:`)' : 'yes, the worker file'
    const hashing = seen.hashing.kind === 'worker' ? `worker (${seen.hashing.via})` : `main thread: ${seen.hashing.reason}`
    // A literal of the library's own code tells which scripts carry it.
    const carriesLibrary = async (/** @type {Promise<string>[]} */ texts) => (await Promise.all(texts)).some((text) => text.includes('kodo-config.qiniuapi.com'))
    const split = !row.lazy || (!(await carriesLibrary(scripts.withPage)) && (await carriesLibrary(scripts.later)))
    /** @type {Array<[boolean, string]>} what must hold, and what to say when it does not (the first that fails) */
    const checks = [
      [inWorker, 'hashing did not run in a Worker'],
      [identical, 'stored object differs'],
      [split, 'the library was not a chunk of its own, fetched on the first upload'],
      [seen.parts.length === 3, `parts ${seen.parts}`],
    ]
    const error = checks.find(([held]) => !held)?.[1]
    const passed = error === undefined
    return { passed, worker, hashing, identical, warnings: seen.warnings, workers, error, seconds: (Date.now() - started) / 1000 }
  } catch (error) {
    return { passed: false, workers, error: String(error instanceof Error ? error.message : error).split('\n')[0], seconds: (Date.now() - started) / 1000 }
  } finally {
    await page.close()
    await served?.close()
  }
}
