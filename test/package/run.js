// @ts-check
// Checks the package as npm would publish it: publint, arethetypeswrong (ESM-only, like ky), and the
// size budget of the main entry's own code. Writes test/results/package.json; exits 1 on a failure.
// `node test/package/run.js [--no-build]`
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { mainEntrySizes, SIZE_BUDGETS_GZIP_BYTES } from './size.js'

const ROOT = new URL('../../', import.meta.url).pathname
rmSync(join(ROOT, 'test/results/package.json'), { force: true }) // a crash must not leave the last run's results behind
if (!process.argv.includes('--no-build')) spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' })

/** @param {string[]} command */
const passes = (command) => spawnSync('npx', command, { cwd: ROOT, stdio: 'inherit' }).status === 0

const sizes = await mainEntrySizes(ROOT)
const kb = (/** @type {number} */ bytes) => `${(bytes / 1000).toFixed(1)} KB`
const checks = [
  { name: 'publint --strict', passed: passes(['publint', '--strict']) },
  // The worker files are scripts to load, not modules to import: they have no types to check.
  { name: 'attw (esm-only)', passed: passes(['attw', '--pack', '.', '--profile', 'esm-only', '--exclude-entrypoints', './hash.worker.js', './hash-wasm.worker.js']) },
  ...Object.entries(SIZE_BUDGETS_GZIP_BYTES).map(([what, budget]) => ({
    name: `main entry's own code, ${what} ≤ ${kb(budget)} min+gzip`,
    passed: sizes[/** @type {keyof typeof sizes} */ (what)].gzipBytes <= budget,
    sizes,
  })),
]
for (const [what, size] of Object.entries(sizes)) console.log(`${what}: ${kb(size.minBytes)} min, ${kb(size.gzipBytes)} min+gzip`)
for (const check of checks) console.log(`${check.passed ? 'pass' : 'FAIL'}  ${check.name}`)
mkdirSync(join(ROOT, 'test/results'), { recursive: true })
writeFileSync(join(ROOT, 'test/results/package.json'), JSON.stringify(checks, null, 2))
process.exit(checks.every((check) => check.passed) ? 0 : 1)
