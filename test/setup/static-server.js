// @ts-check
// Serves a folder as plain static files from its own origin (another port than the Kodo server):
// what a user gets from any web server, no bundler, and every upload request cross-origin.
import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { createReadStream, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize } from 'node:path'

/** @type {Record<string, string>} */
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json', '.wasm': 'application/wasm' }

/**
 * A path through a file (`/index.html/x`) fails with ENOTDIR, which is a 404 too.
 * @param {string} path
 */
function isFile(path) {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/**
 * @param {string} root the folder to serve; `/` serves its index.html
 * @param {Record<string, string>} [pages] HTML served at these paths instead of files
 * @param {{ cors?: boolean, headers?: Record<string, string> }} [options] `cors`: let pages on other origins load the
 *   files (a CDN does); `headers`: sent with every answer (a site-wide Content-Security-Policy, say)
 * @returns {Promise<{ url: string, close: () => Promise<void> }>} `url` has no trailing slash (it is the page's origin)
 */
export async function serveStatic(root, pages = {}, options = {}) {
  const server = createServer((request, response) => {
    if (options.cors) response.setHeader('Access-Control-Allow-Origin', '*')
    for (const [name, value] of Object.entries(options.headers ?? {})) response.setHeader(name, value)
    const path = new URL(request.url ?? '/', 'http://x').pathname
    if (pages[path] !== undefined) return void response.writeHead(200, { 'Content-Type': 'text/html' }).end(pages[path])
    const file = join(root, normalize(path === '/' ? '/index.html' : path).replace(/^(\.\.[/\\])+/, ''))
    if (!isFile(file)) return void response.writeHead(404).end()
    response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(response)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/**
 * A page at `/` that imports the self-contained build (`dist/cdn/index.js`: no bare imports, so no
 * bundler or import map) as `window.lib` and then sets `window.ready`.
 */
const DIST_PAGE = `<!doctype html><script type="module">
    import * as lib from '/dist/cdn/index.js'
    window.lib = lib
    window.ready = true
  </script>`

/**
 * Builds `dist/cdn/` and serves the repository with that page at `/`.
 * @param {string} root the repository
 */
export async function serveBuiltDist(root) {
  execFileSync('npx', ['vite', 'build', '--mode', 'cdn', '--logLevel', 'warn'], { stdio: 'inherit', cwd: root })
  return serveStatic(root, { '/': DIST_PAGE })
}
