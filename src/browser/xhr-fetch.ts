import { fileChangedError } from '../errors.js'
import type { LinkRate } from '../http/link-rate.js'
import { StallError, type FetchLike, type TransportOptions } from '../http/transport.js'

/**
 * A `fetch` for ky that sends through XMLHttpRequest, the only browser API with upload progress
 * over HTTP/1.1 (fetch needs a streaming body and HTTP/2 for that). It also aborts stalled requests.
 */
export const xhrFetch: FetchLike = async (request: Request, options: TransportOptions = {}) => {
  const body = options.payload ?? (request.body ? await request.blob() : null)
  return new Promise<Response>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    const signal = request.signal
    const stallTimeout = options.stallTimeout ?? 0
    const size = bodySize(body)
    let stallTimer: ReturnType<typeof setTimeout> | undefined
    let sendStart = 0
    let lastProgress = 0
    /** Set once XHR reports the body sent, until the answer starts coming. */
    let sentIn: number | undefined

    const finish = () => {
      clearTimeout(stallTimer)
      signal.removeEventListener('abort', onAbort)
    }
    const armStallTimer = (delay = stallTimeout) => {
      if (stallTimeout <= 0) return
      clearTimeout(stallTimer)
      stallTimer = setTimeout(onQuiet, delay)
    }
    const progressed = () => {
      lastProgress = performance.now()
      armStallTimer()
    }
    const onQuiet = () => {
      const quiet = performance.now() - lastProgress
      const budget = stallTimeout + (sentIn === undefined ? 0 : drainAllowance(size, sentIn, options.linkRate, stallTimeout))
      // The allowance follows the link's pace as other answers come in, so it is looked at again now and then.
      if (quiet < budget) return armStallTimer(Math.min(budget - quiet, Math.max(stallTimeout / 10, 100)))
      finish()
      xhr.abort()
      // A body still unanswered after this long arrives, if at all, no faster: the next attempt waits longer.
      if (sentIn !== undefined) options.linkRate?.observe(size, performance.now() - sendStart)
      failUnlessUnreadable(new StallError(`No progress for ${Math.round(quiet)} ms`))
    }
    /** Rejects with `local-io` when the body's file can no longer be read (it changed on disk), else with `otherwise`. */
    const failUnlessUnreadable = (otherwise: Error) =>
      void unreadable(body).then((cause) =>
        reject(cause ? fileChangedError(cause) : otherwise),
      )
    const onAbort = () => {
      finish()
      xhr.abort()
      reject(signal.reason ?? new DOMException('The request was aborted.', 'AbortError'))
    }
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })

    xhr.open(request.method, request.url)
    xhr.responseType = 'arraybuffer'
    request.headers.forEach((value, name) => {
      // A FormData body gets its own boundary from XHR; the Request's content-type would not match it.
      if (!(body instanceof FormData && name === 'content-type')) xhr.setRequestHeader(name, value)
    })
    const report = options.onBodyProgress
    xhr.upload.onprogress = (event) => {
      progressed()
      report?.(event.loaded)
    }
    // "Sent" means handed to the socket: the buffered tail may still take a while to arrive.
    xhr.upload.onload = () => {
      sentIn = performance.now() - sendStart
      progressed()
    }
    xhr.onprogress = () => {
      sentIn = undefined
      progressed()
    }
    xhr.onload = () => {
      finish()
      if (xhr.status >= 200 && xhr.status < 300) options.linkRate?.observe(size, performance.now() - sendStart)
      resolve(toResponse(xhr))
    }
    xhr.onerror = () => {
      finish()
      failUnlessUnreadable(new TypeError('Network request failed'))
    }
    sendStart = performance.now()
    progressed()
    xhr.send(body)
  })
}

/** Bytes a body puts on the wire, near enough (a form's boundaries and headers are left out). */
function bodySize(body: unknown): number {
  if (body instanceof Blob) return body.size
  if (typeof body === 'string') return body.length
  if (!(body instanceof FormData)) return 0
  let size = 0
  for (const [, value] of body) size += typeof value === 'string' ? value.length : value.size
  return size
}

/** Until an answer shows the link's pace, a buffered body is assumed to drain at 32 KiB/s (a slow uplink). */
const UNKNOWN_BYTES_PER_MS = 32 * 1024 / 1000

/**
 * How long the server may take to receive a body that XHR reported sent after `sentIn` ms: the time the
 * whole body needs at the slower of its own send rate and the link's recent pace, less the time already
 * spent sending it; at most twice the stall timeout.
 */
function drainAllowance(size: number, sentIn: number, linkRate: LinkRate | undefined, stallTimeout: number): number {
  if (size === 0) return 0
  const rate = Math.min(size / Math.max(sentIn, 1), linkRate?.bytesPerMs ?? UNKNOWN_BYTES_PER_MS)
  return Math.min(Math.max(size / rate - sentIn, 0), 2 * stallTimeout)
}

/**
 * Chromium fails a request whose file changed on disk like a lost connection, and WebKit stalls it;
 * reading tells them apart.
 */
async function unreadable(body: unknown): Promise<unknown> {
  if (!(body instanceof Blob)) return undefined
  try {
    await body.slice(0, 1).arrayBuffer()
    return undefined
  } catch (error) {
    return error
  }
}

/**
 * Kodo answers with status codes above 599 (612, 614, 701) that `new Response()` refuses,
 * so such a response is built as a 500 and its real status set on the instance.
 */
function toResponse(xhr: XMLHttpRequest): Response {
  const status = xhr.status
  const representable = status >= 200 && status <= 599
  const body = status === 204 || status === 205 || status === 304 ? null : xhr.response
  const response = new Response(body, {
    status: representable ? status : 500,
    statusText: xhr.statusText,
    headers: parseHeaders(xhr.getAllResponseHeaders()),
  })
  if (!representable) Object.defineProperty(response, 'status', { value: status })
  return response
}

function parseHeaders(raw: string): Headers {
  const headers = new Headers()
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim())
  }
  return headers
}
