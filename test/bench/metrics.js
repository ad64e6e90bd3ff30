// @ts-check
// What one run costs beyond its speed: CPU per thread class (/proc) and in the server (its
// process.cpuUsage), peak renderer RSS growth (/proc, every 100 ms) and peak JS heap growth of the
// page's main thread (CDP Performance.getMetrics JSHeapUsedSize, same rhythm).
import { cpuBetween, rendererPids, residentBytes, threadCpu } from './proc-stats.js'

const SAMPLE_MS = 100

/** @param {import('playwright').CDPSession} cdp */
async function jsHeapUsed(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics')
  return metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0
}

/**
 * Starts measuring; `stop()` ends it and gives the figures.
 * @param {import('playwright').CDPSession} cdp
 * @param {import('./kodo.js').Kodo} kodo
 */
export async function startMetrics(cdp, kodo) {
  const renderers = rendererPids()
  const baseRss = residentBytes(renderers)
  const baseHeap = await jsHeapUsed(cdp)
  const serverBefore = await kodo.cpuSeconds()
  const cpuBefore = threadCpu()
  let peakRss = baseRss
  let peakHeap = baseHeap
  // A CDP answer can wait for a busy main thread; one request at a time keeps them from piling up.
  let heapPending = false
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, residentBytes(renderers))
    if (heapPending) return
    heapPending = true
    jsHeapUsed(cdp)
      .then((heap) => (peakHeap = Math.max(peakHeap, heap)))
      .catch(() => {}) // the page is being replaced after a hung run: no sample this time
      .finally(() => (heapPending = false))
  }, SAMPLE_MS)

  return {
    async stop() {
      clearInterval(timer)
      const cpu = cpuBetween(cpuBefore, threadCpu())
      const server = (await kodo.cpuSeconds()) - serverBefore
      return { cpuSeconds: { ...cpu, server }, rssGrowthBytes: peakRss - baseRss, heapGrowthBytes: peakHeap - baseHeap }
    },
  }
}
