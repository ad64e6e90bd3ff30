import { UploadError } from '../errors.js'
import { StallError, type FetchLike, type TransportOptions } from './transport.js'

/**
 * A `fetch` for ky that sends through XMLHttpRequest, the only browser API with upload progress
 * over HTTP/1.1 (fetch needs a streaming body and HTTP/2 for that). It also aborts stalled requests.
 */
export const xhrFetch: FetchLike = async (request: Request, options: TransportOptions = {}) => {
  const body = options.payload ?? (request.body ? await request.blob() : null)
  return new Promise<Response>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    const signal = request.signal
    let stallTimer: ReturnType<typeof setTimeout> | undefined
    const stallTimeout = options.stallTimeout ?? 0

    const finish = () => {
      clearTimeout(stallTimer)
      signal.removeEventListener('abort', onAbort)
    }
    const armStallTimer = (timeout = stallTimeout) => {
      if (stallTimeout <= 0) return
      clearTimeout(stallTimer)
      stallTimer = setTimeout(() => {
        finish()
        xhr.abort()
        reject(new StallError(`No progress for ${timeout} ms`))
      }, timeout)
    }
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
      armStallTimer()
      report?.(event.loaded)
    }
    // "Sent" means handed to the socket: the buffered tail may still take a while on a slow link,
    // so the server gets extra time (the tail draining at 32 KB/s), up to twice the stall timeout.
    const drainTime = body instanceof Blob ? Math.min(body.size / 32, 2 * stallTimeout) : 0
    xhr.upload.onload = () => armStallTimer(stallTimeout + drainTime)
    xhr.onprogress = () => armStallTimer()
    xhr.onload = () => {
      finish()
      resolve(toResponse(xhr))
    }
    xhr.onerror = () => {
      finish()
      void unreadable(body).then((cause) =>
        reject(
          cause
            ? new UploadError('local-io', 'The file changed or was removed while it was being sent.', { cause, retryDecision: 'dont-retry' })
            : new TypeError('Network request failed'),
        ),
      )
    }
    armStallTimer()
    xhr.send(body)
  })
}

/** Chromium fails a request whose file changed on disk like a lost connection; reading tells them apart. */
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
