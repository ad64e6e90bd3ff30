// The app's backend: its static files (node_modules included, for the library) and a token endpoint
// that signs with the keys it is given, as a real backend signs with its Qiniu keys.
import { createReadStream, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { signUploadToken } from 'qiniu-upload-manager/kodo-server'

const root = fileURLToPath(new URL('.', import.meta.url))
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' }

/** @param {{ upHost: string, bucket: string, accessKey: string, secretKey: string }} kodo */
export async function startApp(kodo) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://app')
    if (url.pathname === '/api/config') return json(res, { upHost: kodo.upHost, bucket: kodo.bucket })
    if (url.pathname === '/api/token') {
      const key = url.searchParams.get('key')
      const policy = { scope: key === null ? kodo.bucket : `${kodo.bucket}:${key}`, deadline: Math.floor(Date.now() / 1000) + 3600 }
      return json(res, { token: signUploadToken(kodo.accessKey, kodo.secretKey, policy) })
    }
    const file = join(root, normalize(url.pathname === '/' ? '/index.html' : url.pathname).replace(/^(\.\.[/\\])+/, ''))
    if (!isFile(file)) return void res.writeHead(404).end()
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(res)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    },
  }
}

function json(res, value) {
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(value))
}

function isFile(path) {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}
