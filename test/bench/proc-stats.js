// @ts-check
// CPU time per thread and resident memory of this runner's Chromium, read from Linux /proc. Chromium
// names its threads, so a renderer's main thread (the page), its DedicatedWorker threads (hashing)
// and everything else can be told apart; CDP has no per-worker CPU figure.
import { readdirSync, readFileSync } from 'node:fs'

const TICKS_PER_SECOND = 100 // getconf CLK_TCK on Linux
const PAGE_SIZE = 4096

/** @typedef {'page' | 'workers' | 'rendererOther' | 'browser'} CpuClass */

/** @param {string} path */
function read(path) {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined // the process or thread has just exited
  }
}

/** /proc/<pid>/stat fields after the command name, which may itself hold spaces and parentheses. */
function statFields(/** @type {string} */ stat) {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
}

/** Every process below `root` (the browser and its zygotes, renderers, GPU and utility processes). */
function descendants(root = process.pid) {
  /** @type {Map<number, number[]>} */
  const children = new Map()
  for (const name of readdirSync('/proc')) {
    const stat = /^\d+$/.test(name) ? read(`/proc/${name}/stat`) : undefined
    if (!stat) continue
    const parent = Number(statFields(stat)[1])
    children.set(parent, [...(children.get(parent) ?? []), Number(name)])
  }
  const found = []
  for (let queue = [root]; queue.length > 0; ) {
    const pid = /** @type {number} */ (queue.shift())
    const below = children.get(pid) ?? []
    found.push(...below)
    queue.push(...below)
  }
  return found
}

/** @param {number} pid */
function tasks(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`)
  } catch {
    return []
  }
}

/** @param {number} pid */
const isRenderer = (pid) => (read(`/proc/${pid}/cmdline`) ?? '').includes('--type=renderer')

/** The renderer processes of this runner's browser. */
export function rendererPids() {
  return descendants().filter(isRenderer)
}

/** Resident bytes of these processes together. @param {number[]} pids */
export function residentBytes(pids) {
  return pids.reduce((sum, pid) => sum + Number((read(`/proc/${pid}/statm`) ?? '0 0').split(' ')[1]) * PAGE_SIZE, 0)
}

/**
 * CPU seconds (user + system) of every thread of the browser's processes, by `pid/tid`, with its class.
 * @returns {Map<string, { cls: CpuClass, seconds: number }>}
 */
export function threadCpu() {
  const threads = new Map()
  for (const pid of descendants()) {
    const renderer = isRenderer(pid)
    for (const tid of tasks(pid)) {
      const stat = read(`/proc/${pid}/task/${tid}/stat`)
      if (!stat) continue
      const fields = statFields(stat)
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      /** @type {CpuClass} */
      const cls = !renderer ? 'browser' : tid === String(pid) ? 'page' : name.startsWith('DedicatedWorker') ? 'workers' : 'rendererOther'
      threads.set(`${pid}/${tid}`, { cls, seconds })
    }
  }
  return threads
}

/**
 * CPU seconds per class between two snapshots; threads started in between count from zero.
 * @param {ReturnType<typeof threadCpu>} before
 * @param {ReturnType<typeof threadCpu>} after
 */
export function cpuBetween(before, after) {
  /** @type {Record<CpuClass, number>} */
  const total = { page: 0, workers: 0, rendererOther: 0, browser: 0 }
  for (const [key, { cls, seconds }] of after) total[cls] += seconds - (before.get(key)?.seconds ?? 0)
  return total
}
