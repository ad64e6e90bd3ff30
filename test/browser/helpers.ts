import { inject } from 'vitest'
import SparkMD5 from 'spark-md5'
import { MemoryResumableRecorder, UploadError, UploadManager, type UploadManagerOptions } from '../../src/index.js'

export const kodo = inject('kodo')

/** Random bytes as a Blob (getRandomValues fills at most 64 KiB per call). */
export function randomBlob(size: number, type = 'application/octet-stream'): Blob {
  const chunks: Uint8Array[] = []
  for (let offset = 0; offset < size; offset += 1 << 20) chunks.push(randomBytes(Math.min(1 << 20, size - offset)))
  return new Blob(chunks as BlobPart[], { type })
}

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536))
  return bytes
}

/**
 * Random bytes as a file-backed File in the origin private file system. Chromium copies the bytes of
 * every slice of an in-memory Blob, and a test page holds at most about 512 MiB of Blob memory: a
 * big in-memory source plus its parts' slices, not yet collected, runs out of it. Slices of a file
 * cost nothing, as with the files users pick.
 */
export async function randomFile(name: string, size: number): Promise<File> {
  const handle = await (await navigator.storage.getDirectory()).getFileHandle(name, { create: true })
  const writable = await handle.createWritable()
  for (let offset = 0; offset < size; offset += 1 << 20) await writable.write(randomBytes(Math.min(1 << 20, size - offset)))
  await writable.close()
  return handle.getFile()
}

/** A token signed by the local server with its development keys. */
export async function token(policy: Record<string, unknown> = {}): Promise<string> {
  const response = await admin('/_admin/token', { method: 'POST', body: JSON.stringify({ bucket: kodo.bucket, ...policy }) })
  return ((await response.json()) as { token: string }).token
}

/** A request to a server's admin API, with its admin secret (default: the main server). */
export function admin(path: string, init?: RequestInit, server = kodo): Promise<Response> {
  const headers = { 'Content-Type': 'application/json', 'X-Kodo-Admin-Secret': server.adminSecret, ...init?.headers }
  return fetch(server.url + path, { ...init, headers })
}

export interface StoredObject {
  key: string
  fsize: number
  hash: string
  md5: string
  mimeType: string
  fname?: string
  metadata: Record<string, string>
  customVars: Record<string, string>
}

export function encodeKey(key: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(key))).replace(/\+/g, '-').replace(/\//g, '_')
}

export async function storedObject(key: string): Promise<StoredObject> {
  const response = await admin(`/_admin/objects/${kodo.bucket}/${encodeKey(key)}`)
  if (!response.ok) throw new Error(`object ${key} not found: ${response.status}`)
  return (await response.json()) as StoredObject
}

export interface LogEntry {
  method: string
  path: string
  api: string
  status: number
  startedAt: number
  endedAt: number
  bodyBytes: number
  headers: Record<string, string>
  uploadId?: string
  partNumber?: number
}

export async function requestLog(): Promise<LogEntry[]> {
  return (await (await admin('/_admin/log')).json()) as LogEntry[]
}

export async function clearLog(): Promise<void> {
  await admin('/_admin/log', { method: 'DELETE' })
}

/** A manager against the local server, with a memory recorder unless told otherwise. */
export async function localManager(options: Partial<UploadManagerOptions> = {}): Promise<UploadManager> {
  return new UploadManager({
    uploadToken: await token(),
    upEndpoints: [kodo.url],
    recorder: new MemoryResumableRecorder(),
    ...options,
  })
}

let counter = 0
/** A fresh object key per test, so tests never see each other's objects. */
export function uniqueKey(prefix = 'obj'): string {
  return `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`
}

export interface FaultRule {
  api?: string
  nth?: number
  times?: number
  action: 'status' | 'reset' | 'stall' | 'throttle' | 'omit-reqid' | 'non-json' | 'truncated-json' | 'drop-answer'
  status?: number
  error?: string
  seconds?: number
  when?: 'before-body' | 'during-body' | 'after-body' | 'after-handler'
  bytesPerSec?: number
  host?: string
}

/** Adds fault rules to a server (default: the main one); `clearFaults` removes them. */
export async function addFaults(rules: FaultRule | FaultRule[], server = kodo): Promise<void> {
  const response = await admin('/_admin/faults', { method: 'POST', body: JSON.stringify(rules) }, server)
  if (!response.ok) throw new Error(`fault rules rejected: ${await response.text()}`)
}

export async function clearFaults(server = kodo): Promise<void> {
  await admin('/_admin/faults', { method: 'DELETE' }, server)
}

export async function md5Of(blob: Blob): Promise<string> {
  return SparkMD5.ArrayBuffer.hash(await blob.arrayBuffer())
}

/** Waits for a promise's rejection and returns it as an UploadError. */
export async function rejection(promise: Promise<unknown>): Promise<UploadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof UploadError)) throw new Error(`expected an UploadError, got ${String(error)}`)
  return error
}

/** The most requests the server was handling at one moment, from its log's timestamps. */
export function peakOverlap(entries: Array<{ startedAt: number; endedAt: number }>): number {
  const events = entries.flatMap((e) => [
    [e.startedAt, 1],
    [e.endedAt, -1],
  ]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!)
  let current = 0
  let peak = 0
  for (const [, delta] of events) peak = Math.max(peak, (current += delta!))
  return peak
}
