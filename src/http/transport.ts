import type { LinkRate } from './link-rate.js'

/**
 * The HTTP seam. ky drives every request and hands its Request to a `fetch` of this shape;
 * the extra options are ky's "unknown options", which it forwards untouched to `fetch`.
 */
export interface TransportOptions {
  /**
   * The request body, sent as is: a Blob slice is faster than a buffer and never copied.
   * (Not `body` or `blob`: ky forwards only option names a Request does not have.)
   */
  payload?: Blob | FormData | string
  /** Upload progress of this request's body, in bytes sent so far. */
  onBodyProgress?: (sentBytes: number) => void
  /** Abort the request when no byte went up or came back for this long (ms); 0 disables. */
  stallTimeout?: number
  /** The pace of this client's recent bodies: how long a body handed to the socket may take to arrive. */
  linkRate?: LinkRate
}

/** The transport's shape; `window.fetch` fits too (it ignores the transport options: no progress, no stall timeout). */
export type FetchLike = (request: Request, options?: TransportOptions & RequestInit) => Promise<Response>

/** Thrown by a transport when a request made no progress for `stallTimeout` ms. */
export class StallError extends Error {
  override readonly name = 'StallError'
}
