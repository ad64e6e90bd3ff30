// @ts-check
// Turns every run of a suite into one row per contender: medians, except long tasks, where the worst
// round counts (the target is zero).

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * @param {Record<string, import('./measure.js').RunOutcome[]>} runs
 * @param {string} ceiling
 */
export function summarize(runs, ceiling) {
  const rows = Object.entries(runs).map(([contender, outcomes]) => summarizeContender(contender, outcomes))
  const ceilingMbps = rows.find((row) => row.contender === ceiling)?.mbps ?? NaN
  return rows.map((row) => ({ ...row, ratioToCeiling: row.mbps / ceilingMbps }))
}

/**
 * @param {string} contender
 * @param {import('./measure.js').RunOutcome[]} outcomes
 */
function summarizeContender(contender, outcomes) {
  const good = outcomes.flatMap((run) => ('mbps' in run && !run.error ? [run] : []))
  const errors = outcomes.flatMap((run) => (run.error ? [run.error] : []))
  const of = (/** @type {(run: import('./measure.js').RunFigures) => number} */ pick) => median(good.map(pick))
  const classes = Object.keys(good[0]?.cpuSecondsPerGiB ?? {})
  return {
    contender,
    rounds: outcomes.length,
    errors,
    mbps: of((run) => run.mbps),
    mbpsRuns: good.map((run) => run.mbps),
    longTasks: {
      count: Math.max(0, ...good.map((run) => run.longTasks.count)),
      longestMs: Math.max(0, ...good.map((run) => run.longTasks.longestMs)),
    },
    firstRequestMs: of((run) => run.firstRequestMs),
    laneGapMs: of((run) => run.laneGapMs),
    firstApiRequestMs: of((run) => run.firstApiRequestMs),
    rssGrowthBytes: of((run) => run.rssGrowthBytes),
    heapGrowthBytes: of((run) => run.heapGrowthBytes),
    cpuSecondsPerGiB: Object.fromEntries(classes.map((cls) => [cls, of((run) => run.cpuSecondsPerGiB[cls])])),
    requests: of((run) => run.requests),
    preflights: of((run) => run.preflights),
  }
}

/** @typedef {ReturnType<typeof summarize>[number]} ContenderRow */
