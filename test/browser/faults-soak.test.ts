// A 20-upload slice of the soak run (`npm run soak`, test/soak/), here in the browser test suite so
// that every `npm test` runs it: the same plan, page-side runner and verdicts, under seeded random faults.
import { afterEach, expect, it } from 'vitest'
import * as lib from '../../src/index.js'
import { faultConfig, planUploads } from '../soak/plan.js'
import { runUpload } from '../soak/upload.js'
import { judge, Tally } from '../soak/verify.js'
import { admin, clearFaults, clearLog, kodo, storedObject, token } from './helpers.js'

const SEED = 7
const COUNT = 20

/** What the server holds under `key`, or null. */
const stored = (key: string) => storedObject(key).catch(() => null)

afterEach(async () => {
  await clearFaults()
  await clearLog()
})

it(`soak slice: ${COUNT} uploads (seed ${SEED}) under random faults, none corrupt, none hung, every failure typed`, async () => {
  const response = await admin('/_admin/faults/random', { method: 'POST', body: JSON.stringify(faultConfig(SEED, 0.08)) })
  expect(response.ok).toBe(true)
  const tally = new Tally()
  for (const spec of planUploads(SEED, COUNT)) {
    const report = await runUpload(lib, spec, { kodoUrl: kodo.url, token: await token() })
    tally.add(spec, report, judge(spec, report, await stored(spec.key)))
  }
  const details = tally.notable.map(({ spec, report, verdict }) => `${verdict} #${spec.index} ${spec.mode} ${spec.size} B: ${report.message}`)
  expect(tally.ok, [tally.summary(), ...details].join('\n')).toBe(true)
  expect(tally.completed + tally.failed).toBe(COUNT)
}, 60_000)
