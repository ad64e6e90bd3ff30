// Fakes for the core tests in Node, in the spirit of tus-js-client's TestHttpStack and the seed crate's
// FakeHttpCaller: a transport that records every request and answers from handlers, and a hasher that
// hashes nothing. No browser, no server, no timers beyond the client's own (tiny) backoff.
import type { Connectivity } from '../../src/http/connectivity.js'
import type { Digest, DigestRequest, FetchLike, Hasher, TransportOptions } from '../../src/index.js'

/** One request as the fake transport saw it. */
export interface SentRequest {
  method: string
  /** `http://host:port`, the up or UC host the client chose. */
  host: string
  path: string
  /** The Kodo API, read from method and path. */
  api: string
  headers: Headers
  /** Bytes of the body the client handed over (a Blob slice, a string, or 0). */
  bodySize: number
}

/** A handler's answer: a response, a transport failure (fetch rejects), or nothing (ask the next handler). */
export type Answer = Response | Error | undefined
export type Handler = (request: SentRequest) => Answer | Promise<Answer>

/** A fake `fetch`: records each request, then asks the handlers, newest first, until one answers. */
export class FakeTransport {
  readonly requests: SentRequest[] = []
  readonly #handlers: Handler[] = []

  constructor(...handlers: Handler[]) {
    for (const handler of handlers) this.on(handler)
  }

  /** Adds a handler that is asked before the ones added earlier (faults go on top of a fake server). */
  on(handler: Handler): this {
    this.#handlers.unshift(handler)
    return this
  }

  readonly fetch: FetchLike = async (request: Request, options?: TransportOptions) => {
    const url = new URL(request.url)
    const sent: SentRequest = {
      method: request.method,
      host: url.origin,
      path: url.pathname + url.search,
      api: apiOf(request.method, url.pathname),
      headers: request.headers,
      bodySize: sizeOf(options?.payload),
    }
    this.requests.push(sent)
    if (request.signal.aborted) throw request.signal.reason
    for (const handler of this.#handlers) {
      const answer = await handler(sent)
      if (answer instanceof Error) throw answer
      if (answer) return answer
    }
    return json(404, { error: `no fake handler for ${sent.method} ${sent.path}` })
  }

  /** The requests to one API, e.g. `uploadPart`. */
  sent(api: string): SentRequest[] {
    return this.requests.filter((request) => request.api === api)
  }
}

/**
 * A JSON response with an `X-Reqid`. Kodo's statuses above 599 (612, 701) cannot be given to
 * `new Response()`, so, like the XHR transport, such a response is built as a 500 and its status set after.
 */
export function json(status: number, body: unknown): Response {
  const representable = status >= 200 && status <= 599
  const response = new Response(JSON.stringify(body), {
    status: representable ? status : 500,
    headers: { 'Content-Type': 'application/json', 'X-Reqid': `fake-${status}` },
  })
  if (!representable) Object.defineProperty(response, 'status', { value: status })
  return response
}

/** A handler that answers every request to `host` (and `api`, when given) with `status`. */
export function failing(status: number, where: { host?: string; api?: string } = {}): Handler {
  return (request) => {
    if (where.host !== undefined && request.host !== where.host) return undefined
    if (where.api !== undefined && request.api !== where.api) return undefined
    return json(status, { error: `fake ${status}` })
  }
}

/** A handler whose transport fails for `host`, as an unreachable host does (fetch rejects with a TypeError). */
export function unreachable(host: string): Handler {
  return (request) => (request.host === host ? new TypeError('fetch failed') : undefined)
}

/**
 * Just enough of Kodo's V2 multi-part API and region query to upload: initParts, uploadPart (echoing
 * the Content-MD5 the client sent), completeParts; `/v4/query` lists `regions`, each a list of up hosts.
 */
export function fakeKodo(regions: string[][] = []): Handler {
  let uploads = 0
  return (request) => {
    switch (request.api) {
      case 'query':
        return json(200, { hosts: regions.map((domains) => ({ ttl: 60, up: { domains } })) })
      case 'initParts':
        return json(200, { uploadId: `upload-${++uploads}`, expireAt: Math.floor(Date.now() / 1000) + 3600 })
      case 'uploadPart':
        return json(200, { etag: `etag-${request.path.split('/').pop()}`, md5: request.headers.get('Content-MD5') ?? '' })
      case 'completeParts':
        return json(200, { key: 'fake-key', hash: 'fake-hash' })
      case 'listParts': // the upload is still known (its parts are not tracked here)
        return json(200, { parts: [], partNumberMarker: 0 })
      default:
        return undefined
    }
  }
}

/** A hasher that reads nothing: digests are made of the Blob's size, so tests stay fast and need no Worker. */
export class FakeHasher implements Hasher {
  readonly requests: Array<{ size: number; request: DigestRequest }> = []

  async digest(blob: Blob, request: DigestRequest): Promise<Digest> {
    this.requests.push({ size: blob.size, request })
    const hex = blob.size.toString(16).padStart(32, '0')
    return {
      ...(request.md5 ? { md5: hex } : {}),
      ...(request.sha1Blocks ? { sha1Blocks: [] } : {}),
      ...(request.crc32 ? { crc32: blob.size } : {}),
    }
  }
}

/** Always online: the tests never wait for the network. */
export const online: Connectivity = { isOffline: () => false, waitUntilOnline: async () => {} }

/** A fixed upload token for `bucket` with an unchecked signature (the fake transport checks nothing). */
export function fakeToken(bucket = 'fake-bucket', accessKey = 'fake-ak'): string {
  const policy = Buffer.from(JSON.stringify({ scope: bucket, deadline: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url')
  return `${accessKey}:fake-signature:${policy}`
}

function apiOf(method: string, path: string): string {
  if (path === '/v4/query') return 'query'
  if (path.startsWith('/mkblk/')) return 'mkblk'
  if (path.startsWith('/mkfile/')) return 'mkfile'
  const uploads = /\/uploads(?:\/[^/]+(\/\d+)?)?$/.exec(path)
  if (uploads) {
    if (path.endsWith('/uploads')) return 'initParts'
    if (uploads[1]) return 'uploadPart'
    return ({ POST: 'completeParts', GET: 'listParts', DELETE: 'abortMultipartUpload' } as Record<string, string>)[method] ?? 'unknown'
  }
  return path === '/' && method === 'POST' ? 'form' : 'unknown'
}

function sizeOf(payload: TransportOptions['payload']): number {
  if (payload === undefined) return 0
  if (typeof payload === 'string') return new TextEncoder().encode(payload).length
  if (payload instanceof Blob) return payload.size
  return 0
}
