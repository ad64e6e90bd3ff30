// @ts-check
// Hashing alone, in the page: MB/s per hasher, median over alternating rounds.
import { median } from './summarize.js'

/**
 * @param {import('playwright').Page} page Holding the file to hash.
 * @param {number} rounds
 * @param {number[]} workerCounts
 */
export async function runHashing(page, rounds, workerCounts) {
  const runs = await page.evaluate(({ rounds, workerCounts }) => window.bench.hash(rounds, workerCounts), { rounds, workerCounts })
  return Object.entries(runs).map(([hasher, mbpsRuns]) => ({ hasher, mbps: median(mbpsRuns), mbpsRuns }))
}

/** @typedef {Awaited<ReturnType<typeof runHashing>>} HashingRows */
