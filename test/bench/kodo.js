// @ts-check
// Starts the Kodo server child and wraps the admin API the benchmark uses.
import { fork } from 'node:child_process'
import { once } from 'node:events'

/** @typedef {{ api: string, method: string, status: number | null, startedAt: number, endedAt: number | null, bodyBytes: number }} LogEntry */

export async function startKodo() {
  const child = fork(new URL('./kodo-child.js', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const [{ url, bucket, adminHeaders }] = await once(child, 'message')

  /** @param {string} path @param {RequestInit} [init] */
  async function admin(path, init) {
    const response = await fetch(url + path, { ...init, headers: adminHeaders })
    if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`)
    return response.json()
  }
  /** @param {string} path @param {unknown} body */
  const post = (path, body) => admin(path, { method: 'POST', body: JSON.stringify(body) })

  return {
    /** @type {string} */
    url,
    /** @type {string} */
    bucket,
    /** Forgets objects, uploads and the log, and deletes the stored bytes: every run starts alike. */
    reset: () => post('/_admin/reset', {}),
    /** @param {string} key @returns {Promise<string>} */
    token: async (key) => (await post('/_admin/token', { key })).token,
    /** @param {number | null} bytesPerSec */
    throttle: (bytesPerSec) => post('/_admin/throttle', { bytesPerSec }),
    /** @param {number} ms Added before every request is handled, preflights included. */
    latency: (ms) => post('/_admin/latency', { ms }),
    /** @returns {Promise<LogEntry[]>} */
    log: () => admin('/_admin/log'),
    /** @param {string} key @returns {Promise<{ key: string, fsize: number, hash: string } | undefined>} */
    object: async (key) => (await admin(`/_admin/objects/${bucket}`)).find((/** @type {{ key: string }} */ o) => o.key === key),
    /** @returns {Promise<{ total: number, requests: number }>} */
    sinkTotal: () => admin('/_bench/sink'),
    /** CPU seconds (user + system) the server process has used so far. */
    async cpuSeconds() {
      child.send('cpu')
      const [{ cpu }] = await once(child, 'message')
      return (cpu.user + cpu.system) / 1e6
    },
    close: () => {
      child.disconnect()
      return once(child, 'exit')
    },
  }
}

/** @typedef {Awaited<ReturnType<typeof startKodo>>} Kodo */
