// @ts-check
// Hashing alone, in the page: MB/s and CPU (page thread + workers, /proc) per hasher, median over
// rounds that alternate the hashers. CPU per GiB barely moves when other processes load the machine;
// MB/s does.
import { cpuBetween, threadCpu } from './proc-stats.js'
import { median } from './summarize.js'

const GiB = 2 ** 30

/**
 * @param {import('playwright').Page} page Holding the file to hash.
 * @param {number} rounds
 * @param {number[]} workerCounts
 * @param {number} bytes How much of the file to hash.
 */
export async function runHashing(page, rounds, workerCounts, bytes) {
  const names = await page.evaluate((counts) => window.bench.setUpHashers(counts), workerCounts)
  /** @type {Map<string, Array<{ mbps: number, cpuSecondsPerGiB: number }>>} */
  const runs = new Map(names.map((name) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const before = threadCpu()
      const mbps = await page.evaluate((args) => window.bench.hashOnce(args.name, args.bytes), { name, bytes })
      const cpu = cpuBetween(before, threadCpu())
      runs.get(name)?.push({ mbps, cpuSecondsPerGiB: ((cpu.page + cpu.workers) * GiB) / bytes })
    }
  }
  await page.evaluate(() => window.bench.disposeHashers())
  return names.map((hasher) => {
    const all = runs.get(hasher) ?? []
    return { hasher, mbps: median(all.map((run) => run.mbps)), mbpsRuns: all.map((run) => run.mbps), cpuSecondsPerGiB: median(all.map((run) => run.cpuSecondsPerGiB)) }
  })
}

/** @typedef {Awaited<ReturnType<typeof runHashing>>} HashingRows */
