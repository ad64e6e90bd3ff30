import { createHash } from 'node:crypto'
import type { Page } from '@playwright/test'

export const MiB = 1 << 20
export const kodo = () => process.env.KODO_URL!

export interface LogEntry {
  api: string
  status: number | null
  startedAt: number
  endedAt: number | null
  bodyBytes: number
  path: string
  query: string
}

export interface ItemView {
  name: string
  size: number
  key?: string
  state: string
  kept: number
  transferred: number
  restoredFrom?: string
}

export async function kodoAdmin(path: string, body?: unknown, method = 'POST'): Promise<Response> {
  return fetch(kodo() + path, body === undefined && method === 'POST' ? {} : { method, body: body === undefined ? undefined : JSON.stringify(body) })
}

export async function requestLog(): Promise<LogEntry[]> {
  return (await (await fetch(kodo() + '/_admin/log')).json()) as LogEntry[]
}

/** The object's bytes as the server stores them, hashed. */
export async function storedSha256(key: string): Promise<string> {
  const bytes = Buffer.from(await (await fetch(`${kodo()}/_admin/objects/dev-bucket/${Buffer.from(key).toString('base64url')}/bytes`)).arrayBuffer())
  return createHash('sha256').update(bytes).digest('hex')
}

/** The V2 upload a part request belongs to, and the object key an init request names, from its path. */
export function uploadIdOf(entry: LogEntry): string | undefined {
  return /\/uploads\/([^/]+)\/\d+$/.exec(entry.path)?.[1]
}

export async function openTestPage(page: Page): Promise<void> {
  await page.goto('/test/e2e/pages/upload.html')
  await page.waitForFunction(() => (window as any).ready === true)
}

/** Random files in the origin private file system; their handles land on `window.handles`, their SHA-256 is returned. */
export async function writeOpfsFiles(page: Page, files: Array<{ name: string; size: number }>): Promise<string[]> {
  return page.evaluate(async (files) => {
    const root = await navigator.storage.getDirectory()
    const handles: FileSystemFileHandle[] = []
    const hashes: string[] = []
    for (const { name, size } of files) {
      const handle = await root.getFileHandle(name, { create: true })
      const writable = await handle.createWritable()
      for (let offset = 0; offset < size; offset += 1 << 20) {
        const chunk = new Uint8Array(Math.min(1 << 20, size - offset))
        for (let i = 0; i < chunk.length; i += 65536) crypto.getRandomValues(chunk.subarray(i, i + 65536))
        await writable.write(chunk)
      }
      await writable.close()
      handles.push(handle)
      const digest = await crypto.subtle.digest('SHA-256', await (await handle.getFile()).arrayBuffer())
      hashes.push([...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''))
    }
    ;(window as any).handles = handles
    return hashes
  }, files)
}

/** `window.queue`: the browser queue (IndexedDB, Web Locks, BroadcastChannel) against the local server. */
export async function createQueue(page: Page, options: Record<string, unknown>, tag?: string): Promise<void> {
  await page.evaluate(
    async ({ kodoUrl, options, tag }) => {
      const w = window as any
      const { token } = await (await fetch(kodoUrl + '/_admin/token', { method: 'POST', body: '{}' })).json()
      // Tags every request with the page that sent it (`?tab=`), for the server's log.
      const tagged = tag ? (request: Request, transport: unknown) => w.lib.xhrFetch(new Request(`${request.url}${request.url.includes('?') ? '&' : '?'}tab=${tag}`, request), transport) : undefined
      const manager = new w.lib.UploadManager({ uploadToken: token, upEndpoints: [kodoUrl], fetch: tagged })
      w.queue = w.lib.createUploadQueue(manager, options)
    },
    { kodoUrl: kodo(), options, tag },
  )
}

export function itemViews(page: Page): Promise<ItemView[]> {
  return page.evaluate(() =>
    (window as any).queue.items.map((item: any) => ({
      name: item.name,
      size: item.size,
      key: item.objectName,
      state: item.state,
      kept: item.keptBytes,
      transferred: item.progress().transferredBytes,
      restoredFrom: item.restoredFrom,
    })),
  )
}
