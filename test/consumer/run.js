// @ts-check
// The package as an app gets it: build, `npm pack`, install the tarball into a tiny app in a temp dir
// (test/consumer/app), and run that app's own Playwright test, which starts the Kodo server from
// `qiniu-upload-manager/kodo-server`, uploads through the app's page and asserts on the stored object.
// Prints `N passed, N failed` and writes test/results/consumer.json for run-all.js.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromiumPath } from '../setup/chromium.js'

const repo = resolve(import.meta.dirname, '../..')
const report = resolve(repo, 'test/results/consumer.json')
const work = mkdtempSync(join(tmpdir(), 'qum-consumer-'))
const npm = (/** @type {string[]} */ args, /** @type {string} */ cwd) => execFileSync('npm', args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })

try {
  mkdirSync(resolve(repo, 'test/results'), { recursive: true })
  npm(['run', 'build', '--silent'], repo)
  const [{ filename }] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], repo))
  const app = join(work, 'app')
  cpSync(resolve(import.meta.dirname, 'app'), app, { recursive: true })
  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'))
  const playwrightVersion = JSON.parse(readFileSync(resolve(repo, 'node_modules/@playwright/test/package.json'), 'utf8')).version
  manifest.dependencies = { 'qiniu-upload-manager': `file:${join(work, filename)}` }
  manifest.devDependencies = { '@playwright/test': playwrightVersion }
  writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2))
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app)
  spawnSync('npx', ['playwright', 'test', '--reporter=list,json'], {
    cwd: app,
    stdio: 'inherit',
    env: { ...process.env, CHROMIUM_PATH: chromiumPath(), PLAYWRIGHT_JSON_OUTPUT_NAME: report },
  })
  const { stats, errors = [] } = JSON.parse(readFileSync(report, 'utf8'))
  const passed = stats.expected + stats.flaky
  const failed = stats.unexpected + errors.length
  console.log(`${passed} passed, ${failed} failed`)
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0
} catch (error) {
  console.error(`consumer test could not run: ${error instanceof Error ? error.message : error}`)
  writeFileSync(report, JSON.stringify({ stats: { expected: 0, flaky: 0, unexpected: 1 }, errors: [] }))
  process.exitCode = 1
} finally {
  rmSync(work, { recursive: true, force: true })
}
