import type { KodoApi } from './callbacks.js'

/** What Kodo's statuses usually mean, for error messages a user can act on. */
const STATUS_HINTS: Record<number, string> = {
  401: 'the upload token is invalid or expired',
  403: 'the token does not allow this key or content type',
  404: 'this host may not support this API',
  406: 'the data was damaged in transit (checksum mismatch)',
  413: 'the file is larger than the token allows',
  579: 'the object was stored but the callback to your server failed',
  612: 'the multi-part upload no longer exists on the server (expired, completed or aborted)',
  614: 'an object with this key already exists',
  631: 'the bucket does not exist',
  701: 'the uploaded blocks expired or are unknown to this host',
}

/** A readable sentence for a failed call: the API, the status, what it usually means and what the server said. */
export function describeStatus(api: KodoApi, status: number, serverMessage?: string): string {
  const hint = STATUS_HINTS[status] ?? (status >= 500 ? 'the server failed; try again later' : 'the request was rejected')
  return `${api} failed with HTTP ${status}: ${hint}${serverMessage ? ` (server said: "${serverMessage}")` : ''}.`
}
