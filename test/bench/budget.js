// @ts-check
// How much each part of the benchmark does: the full run fits 10 minutes on 2 cores, the smoke run
// (for `npm test`) fits one and only checks that every contender completes.

const MiB = 2 ** 20

/** @param {boolean} smoke */
export function budget(smoke) {
  if (smoke) {
    return {
      mainBytes: 16 * MiB,
      // The smoke run reuses the main file for the throttled and reload parts.
      smallBytes: 0,
      rounds: 1,
      warmUpBytes: 0,
      throttledBytesPerSec: 50e6,
      // Slow enough that the page is reloaded while parts are still on the way.
      reloadBytesPerSec: 4e6,
      hashWorkerCounts: [1, 2],
      latenciesMs: [75],
      hashBytes: 16 * MiB,
    }
  }
  return {
    mainBytes: 1024 * MiB,
    // 256 MiB for the throttled contenders (1 GiB at 50 MB/s would take 5 × 3 × 21 s) and the reload test.
    smallBytes: 256 * MiB,
    rounds: 3,
    // The first uploads of a fresh page run slower; these are not counted.
    warmUpBytes: 64 * MiB,
    throttledBytesPerSec: 50e6,
    reloadBytesPerSec: 50e6,
    // N = 4, the most the pool starts (4 lanes); this machine has 2 cores.
    hashWorkerCounts: [1, 2, 4],
    // Added to every request (preflights included) on the throttled link: 4 contenders × 3 rounds × 2.
    latenciesMs: [75, 150],
    // 8 hashers × 3 rounds; at ~50–300 MB/s, 128 MiB keeps this part under a minute.
    hashBytes: 128 * MiB,
  }
}

/** @typedef {ReturnType<typeof budget>} Budget */
