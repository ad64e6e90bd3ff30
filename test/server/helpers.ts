// Shared helpers of the server tests: one Kodo server per test file, reached over real HTTP.
import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import { startKodoServer, type KodoServer } from '../../src/kodo-server/server.js'

export const MiB = 1 << 20

/** Starts a server for the file and resets it before each test. */
export function useKodo(options: Parameters<typeof startKodoServer>[0] = {}) {
  const box = {} as { server: KodoServer }
  beforeAll(async () => {
    box.server = await startKodoServer(options)
  })
  afterAll(() => box.server.close())
  beforeEach(() => box.server.reset())
  return box
}

export const b64 = (text: string) => Buffer.from(text).toString('base64').replaceAll('+', '-').replaceAll('/', '_')

export const bytes = (size: number) => randomBytes(size)

/** Byte equality without a slow element-wise diff of megabytes. */
export function expectBytes(actual: Buffer | null, expected: Buffer) {
  expect(actual?.length).toBe(expected.length)
  expect(actual?.equals(expected)).toBe(true)
}

export interface Answer {
  status: number
  headers: Headers
  body: any
  text: string
}

/** The stored object has these bytes and (at least) these attributes. */
export async function expectStored(server: KodoServer, key: string, data: Buffer, attributes: Record<string, unknown> = {}) {
  expectBytes(await server.objectBytes(key), data)
  expect(await server.objectInfo(key)).toMatchObject(attributes)
}

/** fetch + parse; the body is JSON when it parses. Admin requests carry the server's admin secret. */
export async function call(
  server: KodoServer,
  path: string,
  init: Omit<RequestInit, 'body'> & { token?: string; body?: Buffer | string } = {},
): Promise<Answer> {
  const headers = new Headers(init.headers)
  if (init.token !== undefined) headers.set('Authorization', `UpToken ${init.token}`)
  if (path.startsWith('/_admin/')) for (const [name, value] of Object.entries(server.adminHeaders)) headers.set(name, value)
  // Node's fetch sends a Buffer as is; the DOM typings in this project do not know Buffer.
  const response = await fetch(server.url + path, { ...init, headers, body: init.body as BodyInit | undefined })
  const text = await response.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: response.status, headers: response.headers, body, text }
}

/** `/buckets/{bucket}/objects/{b64 key | ~}/uploads` */
export const uploadsPath = (key: string | null, bucket = 'dev-bucket') =>
  `/buckets/${bucket}/objects/${key === null ? '~' : b64(key)}/uploads`

/** Runs a whole V2 upload and returns the complete answer. */
export async function uploadV2(server: KodoServer, key: string | null, parts: Buffer[], token = server.makeToken()) {
  const init = await call(server, uploadsPath(key), { method: 'POST', token })
  const base = `${uploadsPath(key)}/${init.body.uploadId}`
  const etags = []
  for (const [i, part] of parts.entries()) {
    const answer = await call(server, `${base}/${i + 1}`, { method: 'PUT', token, body: part })
    etags.push({ partNumber: i + 1, etag: answer.body.etag })
  }
  return call(server, base, { method: 'POST', token, body: JSON.stringify({ parts: etags }) })
}

/** Builds a multipart/form-data body by hand, so field order and part headers are under control. */
export function formBody(fields: [string, string | { data: Buffer; filename?: string; type?: string }][]) {
  const boundary = `----kodo-test-${randomBytes(8).toString('hex')}`
  const pieces = fields.flatMap(([name, value]) => {
    if (typeof value === 'string') {
      return [`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`]
    }
    const filename = value.filename === undefined ? '' : `; filename="${value.filename}"`
    const type = value.type === undefined ? '' : `Content-Type: ${value.type}\r\n`
    return [`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename}\r\n${type}\r\n`, value.data, '\r\n']
  })
  const body = Buffer.concat([...pieces, `--${boundary}--\r\n`].map((piece) => Buffer.from(piece)))
  return { body, contentType: `multipart/form-data; boundary=${boundary}` }
}

/** POST / with a hand-built form. */
export function formUpload(server: KodoServer, fields: Parameters<typeof formBody>[0]) {
  const { body, contentType } = formBody(fields)
  return call(server, '/', { method: 'POST', body, headers: { 'Content-Type': contentType } })
}

/**
 * A request written byte by byte on a socket, for what fetch will not send: no Content-Length, a chunked
 * body, a body shorter than announced. `halfClose` ends the client's side after writing.
 */
export function rawRequest(server: KodoServer, head: string, body: Buffer | string = '', halfClose = false) {
  return new Promise<{ status: number; headers: Record<string, string>; body: any }>((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => {
      socket.write(`${head.trim().replaceAll('\n', '\r\n')}\r\nHost: ${server.host}\r\nConnection: close\r\n\r\n`)
      socket.write(body)
      if (halfClose) socket.end()
    })
    const chunks: Buffer[] = []
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const [headText, ...rest] = text.split('\r\n\r\n')
      const [statusLine, ...headerLines] = headText.split('\r\n')
      const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]))
      const bodyText = rest.join('\r\n\r\n')
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: bodyText ? JSON.parse(bodyText) : undefined })
    })
  })
}
