// @ts-check
// `npm run chaos [-- --uploads N --seed N --only I --max-size BYTES --time-limit S --requests --quiet]`: the seeded
// chaos run. Prints the table and, for every upload with a problem, how to replay it alone; exits non-zero
// on a wrong object, a second commit, a hang, an unhandled rejection or an untyped failure.
import { parseArgs } from 'node:util'
import { describeSpec, runChaos } from './chaos.js'

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    uploads: { type: 'string', default: '100' },
    only: { type: 'string' },
    'max-size': { type: 'string' },
    'time-limit': { type: 'string' },
    quiet: { type: 'boolean', default: false },
    requests: { type: 'boolean', default: false },
  },
})
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed)
const uploads = Number(values.uploads)
const only = values.only === undefined ? undefined : Number(values.only)
const maxSize = values['max-size'] === undefined ? undefined : Number(values['max-size'])
const timeLimitMs = values['time-limit'] === undefined ? undefined : Number(values['time-limit']) * 1000
if (!(timeLimitMs === undefined || timeLimitMs > 0) || !Number.isInteger(seed) || !Number.isInteger(uploads) || uploads < 1 || (only !== undefined && !(Number.isInteger(only) && only >= 0)) || (maxSize !== undefined && !(maxSize >= 0))) {
  console.error('usage: node test/soak/chaos-run.js [--uploads N] [--seed <integer>] [--only <index>] [--max-size <bytes>] [--time-limit <seconds>] [--requests] [--quiet]')
  process.exit(2)
}

const sizeFlag = maxSize === undefined ? '' : ` --max-size ${maxSize}`
console.log(`chaos: ${only === undefined ? `${uploads} uploads` : `upload #${only}`}, seed ${seed}${sizeFlag}`)
const started = Date.now()
const { tally, pageErrors, notRun } = await runChaos({ seed, uploads, only, maxSize, timeLimitMs, requests: values.requests, log: values.quiet ? undefined : (line) => console.log(line) })
for (const { spec, trace, verdict } of tally.notable) {
  console.log(`\n  #${spec.index} ${describeSpec(spec)}`)
  console.log(`    attempts: ${trace.attempts.map((a, i) => `${i + 1}: v${spec.attempts[i].version}${spec.attempts[i].expire ? ' (expired)' : ''} stop=${a.stop} → ${a.outcome}${a.kind ? ` ${a.kind}` : ''}${a.message ? ` "${a.message}"` : ''}`).join('; ')}`)
  for (const problem of verdict.problems) console.log(`    PROBLEM: ${problem}`)
  console.log(`    requests: ${trace.requests}`)
  if (verdict.problems.length) console.log(`    replay: npm run chaos -- --seed ${seed} --uploads ${uploads} --only ${spec.index}${sizeFlag}`)
}
console.log(`\npage errors (uncaught, incl. rejections): ${pageErrors.length}`)
console.log(tally.eventsLine())
console.log(`chaos (seed ${seed}, ${Math.round((Date.now() - started) / 1000)} s):\n${tally.table(seed)}`)
// Every upload is bounded on its own (a hang is counted); the time limit only keeps a slow machine's run short.
if (notRun > 0) console.log(`time limit reached: ${notRun} upload(s) not run`)
process.exit(tally.ok ? 0 : 1)
