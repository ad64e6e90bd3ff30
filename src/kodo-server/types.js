// @ts-check
// Shared JSDoc types of the local Kodo server. This file has no runtime content.

/**
 * @typedef {object} KodoServerOptions
 * @property {number} [port] TCP port; 0 (the default) picks a free one.
 * @property {string} [host] Interface to listen on; default 127.0.0.1.
 * @property {string} [dataDir] Where object bytes go; default a fresh temp directory, removed on close().
 * @property {Record<string, string>} [accounts] AK → SK; default the dev account.
 * @property {string[]} [buckets] Existing buckets; default [DEV_BUCKET].
 * @property {number | null} [throttleBytesPerSec] Global limit on request-body bandwidth, shared by all connections.
 * @property {number} [latencyMs] Delay before every request is handled (preflights included, admin requests not): a round trip
 *   the loopback lacks. Default 0.
 * @property {string[][]} [extraRegions] Up hosts (host:port) of more regions, listed after the server's own in /v4/query.
 * @property {number} [ctxLifetimeSeconds] Lifetime of V1 ctxs; default 7 days.
 * @property {string} [adminSecret] The secret the admin API (`/_admin/*`) requires in the X-Kodo-Admin-Secret
 *   header; default a random one per run, returned by startKodoServer().
 */

/** @typedef {{ path: string, size: number }} Segment A stretch of stored bytes: the first `size` bytes of a blob file. */

/**
 * @typedef {object} StoredObject
 * @property {string} key
 * @property {Segment[]} segments The object's bytes, in order.
 * @property {number} fsize
 * @property {string} hash qetag (§8).
 * @property {string} mimeType
 * @property {string} fname
 * @property {Record<string, string>} metadata `x-qn-meta-*` entries.
 * @property {Record<string, string>} customVars `x:*` entries.
 * @property {string[]} ignoredFields Request fields the server did not honour (e.g. `mime_type` in complete).
 * @property {number} putTime Milliseconds since the epoch.
 * @property {string} [md5] Hex; computed lazily.
 */

/**
 * @typedef {object} ObjectInfo
 * @property {string} key
 * @property {number} fsize
 * @property {string} hash
 * @property {string} md5
 * @property {string} mimeType
 * @property {string} fname
 * @property {Record<string, string>} metadata
 * @property {Record<string, string>} customVars
 * @property {string[]} ignoredFields
 * @property {number} putTime Milliseconds since the epoch.
 */

/**
 * @typedef {object} UploadedPart
 * @property {Segment} segment
 * @property {Buffer[]} digests SHA-1 of each 4 MiB block of the part.
 * @property {string} etag
 * @property {string} md5 Hex.
 * @property {number} size
 * @property {number} putTime Unix seconds.
 */

/**
 * @typedef {object} Upload A V2 multipart upload in progress.
 * @property {string} id
 * @property {string} bucket
 * @property {string | null} key null when the path said `~`.
 * @property {number} expireAt Unix seconds.
 * @property {Map<number, UploadedPart>} parts
 */

/**
 * @typedef {object} Block A V1 block being assembled from mkblk + bput chunks.
 * @property {number} blockSize
 * @property {number} received
 * @property {Segment[]} segments One per chunk.
 * @property {import('node:crypto').Hash} sha1 Over the bytes received so far.
 * @property {string} ctx The only ctx that may continue (or finish) the block.
 * @property {number} expiredAt Unix seconds.
 * @property {boolean} busy A chunk is being received.
 */

/** @typedef {'init'|'part'|'list'|'complete'|'abort'|'mkblk'|'bput'|'mkfile'|'form'|'query'|'sink'|'preflight'|'other'} Api */

/**
 * @typedef {object} LogEntry
 * @property {number} id
 * @property {string} reqId
 * @property {string} method
 * @property {string} path
 * @property {string} query Raw query string without `?`.
 * @property {Api} api
 * @property {number | null} status null while running, 0 when the connection died without an answer.
 * @property {number} startedAt Milliseconds since the epoch, sub-millisecond precision.
 * @property {number | null} endedAt
 * @property {number} bodyBytes
 * @property {Record<string, string>} headers content-md5, content-length, authorization (truncated), origin, when sent.
 * @property {string} [bucket]
 * @property {string | null} [key]
 * @property {string} [uploadId]
 * @property {number} [partNumber]
 * @property {string} [fault] The injected fault's action (`reset:after-handler` when only the answer was hit).
 * @property {string} [committed] The hash of the object this request committed (form, complete, mkfile), even if its answer was then lost.
 */

/** @typedef {'status'|'reset'|'stall'|'throttle'|'omit-reqid'|'non-json'|'truncated-json'|'drop-answer'} FaultAction */

/**
 * @typedef {object} FaultRule
 * @property {Api | 'any'} [api] Default 'any': every upload API and the region query.
 * @property {number} [nth] 1-based index of the first matching request to hit; default 1.
 * @property {number} [times] How many consecutive matching requests to hit; default 1.
 * @property {FaultAction} action
 * @property {number} [status] For 'status' (default 503) and 'non-json' (default 502).
 * @property {string} [error] Error message for 'status'; default depends on the status.
 * @property {number} [seconds] For 'stall'; default 1.
 * @property {'before-body'|'during-body'|'after-body'|'after-handler'} [when] For 'reset' and 'stall'; default 'before-body'. 'after-body': once the whole body was read, before the answer.
 *   'after-handler': the request takes full effect (a complete commits), then its answer is dropped (reset) or held back (stall).
 * @property {number} [bytesPerSec] For 'throttle'.
 * @property {string} [host] Only requests with this Host header.
 */

/**
 * @typedef {object} RandomFaults
 * @property {number} seed
 * @property {number} rate Probability (0..1) that a matching request gets a fault.
 * @property {FaultAction[]} [actions] Default ['status', 'reset', 'stall'].
 * @property {number[]} [statuses] Statuses for 'status'/'non-json'; default [502, 503, 504, 599].
 * @property {number} [seconds] For 'stall'; default 0.5.
 * @property {number} [bytesPerSec] For 'throttle'; default 262144.
 * @property {Api | 'any'} [api] Default 'any' (upload APIs only, not the query).
 * @property {Array<'before-body'|'during-body'|'after-handler'>} [whens] When 'reset' and 'stall' act; default ['before-body', 'during-body'].
 */

/**
 * A shortcut for a policy: `bucket` (default: the first bucket), `key` (gives a `bucket:key` scope),
 * `expiresIn` (seconds, default 3600) and any more policy fields; or `policy`, a complete policy used as is.
 * @typedef {{ bucket?: string, key?: string, expiresIn?: number, policy?: Record<string, unknown> } & Record<string, unknown>} TokenSpec
 */

export {}
