/** Main-thread tasks over 50 ms, as the browser reports them; observed from page load on. */
const tasks: Array<{ start: number; end: number }> = []

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, end: entry.startTime + entry.duration })
}).observe({ type: 'longtask', buffered: true })

/** The long tasks that overlap [from, to] (performance.now() times). */
export function longTasksBetween(from: number, to: number): { count: number; longestMs: number } {
  const overlapping = tasks.filter((task) => task.end >= from && task.start <= to)
  return { count: overlapping.length, longestMs: Math.max(0, ...overlapping.map((task) => task.end - task.start)) }
}
