// @ts-check
// `npm run demo`: the demo page on Vite, a small backend that signs upload tokens, and (unless QINIU_*
// variables point at a real bucket) the local Kodo server to upload to. The secret key stays here.
import { createHmac } from 'node:crypto'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createServer } from 'vite'
import { urlsafeEncode } from '../src/kodo-server/base64.js'
import { signUploadToken, startKodoServer } from '../src/kodo-server/server.js'
import { apiSecretFor, hasApiSecret } from './api-access.js'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const demoRoot = fileURLToPath(new URL('.', import.meta.url))
const TOKEN_LIFETIME_SECONDS = 3600

/**
 * Where uploads go and how the backend signs for them.
 * @typedef {object} Backend
 * @property {'local' | 'qiniu'} kind
 * @property {string} bucket
 * @property {string} accessKey
 * @property {string} secretKey
 * @property {string} [upHost] Unset for a real bucket: the library then asks Qiniu which region serves it.
 * @property {(key: string) => string} [objectUrl] Where a person can fetch a stored object, when known.
 * @property {(key: string) => Promise<Response>} [readObject] The stored object, read here (the local
 *   server's admin API, which a browser cannot use: it needs the admin secret).
 * @property {Record<string, string>} [adminHeaders] The local server's admin secret, for the tests.
 * @property {() => Promise<void>} close
 */

/** @returns {Promise<Backend>} The development Kodo server on a free port, with its development keys. */
async function localBackend() {
  const kodo = await startKodoServer()
  return {
    kind: 'local',
    bucket: kodo.bucket,
    accessKey: kodo.accessKey,
    secretKey: kodo.secretKey,
    upHost: kodo.url,
    readObject: (key) => fetch(`${kodo.url}/_admin/objects/${kodo.bucket}/${urlsafeEncode(key)}/bytes`, { headers: kodo.adminHeaders }),
    adminHeaders: kodo.adminHeaders,
    close: () => kodo.close(),
  }
}

/**
 * A real bucket from QINIU_ACCESS_KEY, QINIU_SECRET_KEY, QINIU_BUCKET, and optionally QINIU_UP_HOST and
 * QINIU_DOMAIN (a domain bound to the bucket, for the links to uploaded objects).
 * @param {NodeJS.ProcessEnv} env
 * @returns {Backend}
 */
function qiniuBackend(env) {
  const { QINIU_ACCESS_KEY: accessKey, QINIU_SECRET_KEY: secretKey, QINIU_BUCKET: bucket, QINIU_UP_HOST, QINIU_DOMAIN } = env
  if (!accessKey || !secretKey || !bucket) throw new Error('Set QINIU_ACCESS_KEY, QINIU_SECRET_KEY and QINIU_BUCKET together.')
  return {
    kind: 'qiniu',
    bucket,
    accessKey,
    secretKey,
    upHost: QINIU_UP_HOST || undefined,
    objectUrl: QINIU_DOMAIN ? (key) => privateDownloadUrl(QINIU_DOMAIN, key, accessKey, secretKey) : undefined,
    close: async () => {},
  }
}

/**
 * A signed download URL; it works for public buckets too, which ignore the signature.
 * @param {string} domain @param {string} key @param {string} accessKey @param {string} secretKey
 */
function privateDownloadUrl(domain, key, accessKey, secretKey) {
  const base = /^https?:\/\//.test(domain) ? domain : `https://${domain}`
  const path = key.split('/').map(encodeURIComponent).join('/')
  const url = `${base.replace(/\/$/, '')}/${path}?e=${deadline()}`
  const signature = urlsafeEncode(createHmac('sha1', secretKey).update(url).digest())
  return `${url}&token=${accessKey}:${signature}`
}

const deadline = () => Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_SECONDS

/**
 * The page's backend: `/api/config`, `/api/token?key=…` and `/api/object?key=…` (the object, or a
 * redirect to it). With a secret, every `/api/*` request must carry it (api-access.js).
 * @param {Backend} backend
 * @param {string | null} secret
 * @returns {import('vite').Plugin}
 */
function demoApi(backend, secret) {
  /** @typedef {{ status: number, body?: unknown, location?: string, object?: Response }} Answer */
  /** @type {Record<string, (query: URLSearchParams) => Answer | Promise<Answer>>} */
  const routes = {
    '/config': () => ({
      status: 200,
      body: { backend: backend.kind, bucket: backend.bucket, upHost: backend.upHost, objectLinks: Boolean(backend.objectUrl || backend.readObject) },
    }),
    '/token': (query) => {
      const key = query.get('key')
      // A key in the scope lets the upload replace an object of the same name, as re-uploading a file should.
      // A real backend would first check that the signed-in user may write this key.
      const scope = key === null ? backend.bucket : `${backend.bucket}:${key}`
      return { status: 200, body: { token: signUploadToken(backend.accessKey, backend.secretKey, { scope, deadline: deadline() }) } }
    },
    '/object': async (query) => {
      const key = query.get('key') ?? ''
      if (backend.readObject) {
        const object = await backend.readObject(key)
        return object.ok ? { status: 200, object } : { status: object.status, body: await object.json() }
      }
      if (!backend.objectUrl) return { status: 404, body: { error: 'Set QINIU_DOMAIN to link to uploaded objects.' } }
      return { status: 302, location: backend.objectUrl(key) }
    },
  }
  return {
    name: 'demo-api',
    configureServer(server) {
      server.middlewares.use('/api', (req, res, next) => {
        const url = new URL(req.url ?? '/', 'http://demo')
        const route = req.method === 'GET' ? routes[url.pathname] : undefined
        if (!route) return next()
        const allowed = secret === null || hasApiSecret(req, secret)
        const answer = allowed ? route(url.searchParams) : { status: 401, body: { error: 'This demo server requires its shared secret.' } }
        Promise.resolve(answer)
          .then(({ status, body, location, object }) => {
            res.statusCode = status
            res.setHeader('Cache-Control', 'no-store')
            if (location) res.setHeader('Location', location)
            if (object?.body) {
              res.setHeader('Content-Type', 'application/octet-stream')
              return void Readable.fromWeb(/** @type {import('node:stream/web').ReadableStream} */ (object.body)).pipe(res)
            }
            if (body !== undefined) res.setHeader('Content-Type', 'application/json')
            res.end(body === undefined ? undefined : JSON.stringify(body))
          })
          .catch(next)
      })
    },
  }
}

/**
 * @typedef {object} DemoOptions
 * @property {number} [port] 0 picks a free port; default 5173.
 * @property {string} [host] Default 127.0.0.1. Another than a loopback host with real keys needs `allowPublicHost`.
 * @property {NodeJS.ProcessEnv} [env] Where QINIU_* come from; default process.env.
 * @property {boolean} [watch] false stops the page from reloading when a source file changes, which would
 *   cut the uploads of a test short.
 * @property {boolean} [allowPublicHost] Serve real keys on a non-loopback host; `/api/*` then needs the secret.
 * @property {string} [apiSecret] That secret (default: a random one, returned and printed).
 */

/**
 * Starts the backend and the page.
 * @param {DemoOptions} [options]
 * @returns {Promise<{ url: string, apiSecret: string | null, kodoUrl: string | undefined, kodoAdminHeaders: Record<string, string> | undefined, bucket: string, close: () => Promise<void> }>}
 */
export async function startDemo({ port = 5173, host = '127.0.0.1', env = process.env, watch = true, allowPublicHost = false, apiSecret } = {}) {
  const realKeys = Boolean(env.QINIU_ACCESS_KEY || env.QINIU_SECRET_KEY || env.QINIU_BUCKET)
  const secret = apiSecretFor({ host, realKeys, allowPublicHost, apiSecret })
  const backend = realKeys ? qiniuBackend(env) : await localBackend()
  try {
    const vite = await createServer({
      // The project's one Vite config (worker format and the like), rooted at demo/ for this page.
      configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
      root: demoRoot,
      // Its own dependency cache: the tests' Vite server (rooted at the repository) keeps another set.
      cacheDir: fileURLToPath(new URL('../node_modules/.vite/demo', import.meta.url)),
      // The hashing worker's imports are found only when it starts, and a late find reloads the page
      // mid-upload; listing the library's sources lets the first scan see them.
      optimizeDeps: { entries: ['index.html', '../src/**/*.ts'] },
      // The page imports ../src; Vite serves files outside its root only when told to.
      server: { port, host, strictPort: port !== 0, fs: { allow: [repoRoot] }, hmr: watch, watch: watch ? {} : null },
      plugins: [demoApi(backend, secret)],
      clearScreen: false,
      logLevel: 'warn',
    })
    await vite.listen()
    const url = vite.resolvedUrls?.local[0] ?? `http://${host}:${port}/`
    return {
      url,
      apiSecret: secret,
      kodoUrl: backend.kind === 'local' ? backend.upHost : undefined,
      kodoAdminHeaders: backend.adminHeaders,
      bucket: backend.bucket,
      close: async () => {
        await vite.close()
        await backend.close()
      },
    }
  } catch (error) {
    await backend.close()
    throw error
  }
}

async function cli() {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, host: { type: 'string' }, 'allow-public-host': { type: 'boolean', default: false } },
  })
  const port = Number(values.port ?? process.env.DEMO_PORT ?? 5173)
  const demo = await startDemo({ port, host: values.host, allowPublicHost: values['allow-public-host'], apiSecret: process.env.DEMO_API_SECRET })
  // The page takes the secret from the URL's fragment (never sent to a server) and keeps it in a cookie.
  console.log(`Demo ready: ${demo.url}${demo.apiSecret ? `#secret=${demo.apiSecret}` : ''}`)
  const stop = async () => {
    await demo.close()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await cli().catch((error) => {
    console.error(`The demo could not start: ${error instanceof Error ? error.message : error}`)
    process.exitCode = 1
  })
}
