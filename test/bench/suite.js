// @ts-check
// Runs contenders in alternating order over several rounds, so slow phases of the machine (another
// process, a cold page) spread over all of them instead of hitting one.
import { measureRun } from './measure.js'

/**
 * @param {import('./measure.js').Env} env
 * @param {string[]} contenders
 * @param {number} rounds
 * @param {string} title For the progress lines.
 * @returns {Promise<Record<string, import('./measure.js').RunOutcome[]>>} Every run, per contender.
 */
export async function runSuite(env, contenders, rounds, title) {
  /** @type {Record<string, import('./measure.js').RunOutcome[]>} */
  const runs = Object.fromEntries(contenders.map((id) => [id, []]))
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const contender = contenders[(i + round) % contenders.length]
      const figures = await measureRun(env, contender).catch((error) => failedRun(contender, error))
      runs[contender].push(figures)
      const outcome = 'mbps' in figures && !figures.error ? `${figures.mbps.toFixed(1)} MB/s` : `FAILED: ${figures.error}`
      console.log(`[${title}] round ${round + 1}/${rounds} ${contender}: ${outcome}`)
    }
  }
  return runs
}

/** @param {string} contender @param {unknown} error @returns {import('./measure.js').RunOutcome} */
const failedRun = (contender, error) => ({ contender, error: String(error) })
