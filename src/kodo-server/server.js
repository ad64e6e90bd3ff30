// @ts-check
// The local Kodo-compatible server: startKodoServer and the per-request pipeline. Node only: the package
// exports it as `qiniu-upload-manager/kodo-server`, apart from the browser entry.
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { ADMIN_SECRET_HEADER } from './admin-access.js'
import { createControl } from './control.js'
import { KodoError } from './errors.js'
import { Exchange } from './exchange.js'
import { intercept } from './fault-actions.js'
import { commonHeaders, newReqId } from './headers.js'
import { admin } from './routes/admin.js'
import { findRoute } from './routes/index.js'
import { createState } from './state.js'

export { DEV_ACCESS_KEY, DEV_SECRET_KEY, DEV_BUCKET } from './state.js'
export { signUploadToken } from './token.js'
export { ADMIN_SECRET_HEADER } from './admin-access.js'
export { qetag } from './qetag.js'

/**
 * @param {import('./types.js').KodoServerOptions} [options]
 */
export async function startKodoServer(options = {}) {
  const ownDataDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'kodo-')))
  const state = await createState(options, dataDir)
  const control = createControl(state)
  /** @type {WeakMap<object, Exchange>} The exchange each connection (socket) is serving. */
  const current = new WeakMap()
  const handlers = new HandlerCount()

  const server = createServer((req, res) => {
    const ex = pipeline(state, control, req, res, handlers)
    current.set(req.socket, ex)
  })
  server.on('clientError', (error, socket) => onClientError(/** @type {NodeJS.ErrnoException} */ (error), socket, current.get(socket)))

  const host = options.host ?? '127.0.0.1'
  await new Promise((resolve, reject) => server.once('error', reject).listen(options.port ?? 0, host, () => resolve(undefined)))
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
  state.host = `${host.includes(':') ? `[${host}]` : host}:${port}`

  return {
    ...control,
    url: `http://${state.host}`,
    host: state.host,
    port,
    dataDir,
    /** Required by the admin API (`/_admin/*`); give it only to your own tests and tools. */
    adminSecret: state.adminSecret,
    /** The header that admin requests carry: `fetch(url + '/_admin/log', { headers: kodo.adminHeaders })`. */
    adminHeaders: { [ADMIN_SECRET_HEADER]: state.adminSecret },
    /**
     * Resolves once no upload request is being handled. A handler goes on after its client hung up (a
     * form upload whose body had arrived still stores the object), so assert on objects and on the
     * request log after this, not as soon as the page is done.
     */
    whenIdle: () => handlers.whenIdle(),
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** @typedef {Awaited<ReturnType<typeof startKodoServer>>} KodoServer */
/** @typedef {import('./types.js').KodoServerOptions} KodoServerOptions */
/** @typedef {import('./types.js').LogEntry} LogEntry */
/** @typedef {import('./types.js').ObjectInfo} ObjectInfo */
/** @typedef {import('./types.js').FaultRule} FaultRule */

/**
 * route → log → fault interception → handler; every error becomes a Kodo error answer. Admin requests
 * skip the log and the faults.
 * @param {import('./state.js').State} state
 * @param {import('./control.js').Control} control
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {HandlerCount} handlers
 */
function pipeline(state, control, req, res, handlers) {
  const ex = new Exchange(state, req, res)
  if (ex.url.pathname.startsWith('/_admin/')) {
    admin(ex, control).catch((error) => ex.fail(error))
    return ex
  }
  const route = findRoute(req.method ?? '', ex.url.pathname)
  ex.entry = state.log.start(req, ex.url, ex.reqId, route.api)
  const run = async () => {
    // Before the body is read, so it holds back the answer and (through TCP) the body, as a far server would.
    if (state.latencyMs > 0) await sleep(state.latencyMs)
    const fault = state.faults.pick(route.api, req.headers.host ?? '')
    if (fault && (await intercept(ex, fault))) return
    await route.handler(ex, route.params)
  }
  handlers.track(run().catch((error) => ex.fail(error)))
  return ex
}

/** The upload requests whose handlers are still running, for `whenIdle()`. */
class HandlerCount {
  #running = 0
  /** @type {Array<() => void>} */
  #waiters = []

  /** @param {Promise<unknown>} handling */
  track(handling) {
    this.#running++
    handling.finally(() => {
      if (--this.#running > 0) return
      for (const resolve of this.#waiters.splice(0)) resolve()
    })
  }

  /** @returns {Promise<void>} */
  whenIdle() {
    return this.#running === 0 ? Promise.resolve() : new Promise((resolve) => this.#waiters.push(resolve))
  }
}

/**
 * The HTTP parser gave up on a connection. A body shorter than its Content-Length (the client closed
 * its side early) is answered as a Kodo 400 by the exchange reading it; anything else gets a bare 400.
 * @param {NodeJS.ErrnoException} error
 * @param {import('node:stream').Duplex} socket
 * @param {Exchange | undefined} ex
 */
function onClientError(error, socket, ex) {
  if (!socket.writable || error.code === 'ECONNRESET') return socket.destroy()
  const message =
    error.code === 'HPE_INVALID_EOF_STATE' ? 'request body shorter than Content-Length' : `malformed request (${error.code})`
  if (ex && !ex.res.headersSent) return ex.bodyAbort.abort(new KodoError(400, message))
  const body = JSON.stringify({ error: message, code: 400 })
  const headers = { ...commonHeaders(newReqId()), 'Content-Length': Buffer.byteLength(body), Connection: 'close' }
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')
  socket.end(`HTTP/1.1 400 Bad Request\r\n${head}\r\n${body}`)
}
