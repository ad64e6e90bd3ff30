// @ts-check
// `npm run soak [-- --seed N --count N --rate R]`: hundreds of uploads under seeded random faults.
// Exits non-zero when an object was corrupt, an upload hung, or one failed without a typed error;
// the printed seed replays the run.
import { parseArgs } from 'node:util'
import { runSoak } from './soak.js'

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    count: { type: 'string', default: '200' },
    rate: { type: 'string', default: '0.08' },
    quiet: { type: 'boolean', default: false },
  },
})
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed)
const count = Number(values.count)
const rate = Number(values.rate)
if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 1 || !(rate >= 0 && rate <= 1)) {
  console.error('usage: node test/soak/run.js [--seed <integer>] [--count <uploads>] [--rate <0..1>] [--quiet]')
  process.exit(2)
}

console.log(`soak: ${count} uploads, fault rate ${rate}, seed ${seed}`)
const started = Date.now()
const { tally, faults, workers, pageErrors } = await runSoak({ seed, count, rate, log: values.quiet ? undefined : (line) => console.log(line) })
for (const { spec, report, verdict } of tally.notable) {
  console.log(`  ${verdict}: #${spec.index} ${spec.mode} ${spec.size} B — ${report.kind ?? ''} ${report.message ?? ''}`)
  if (report.requests) console.log(`    requests: ${report.requests}`)
}
for (const message of pageErrors) console.log(`  page error: ${message}`)
console.log(`faults injected: ${faults}; Web Workers alive in the page at the end: ${workers}; uncaught page errors: ${pageErrors.length}`)
console.log(`soak (seed ${seed}, ${count} uploads, ${Math.round((Date.now() - started) / 1000)} s): ${tally.summary()}`)
if (!tally.ok) console.log(`replay: node test/soak/run.js --seed ${seed} --count ${count} --rate ${rate}`)
process.exit(tally.ok ? 0 : 1)
