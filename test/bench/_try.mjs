import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildPage } from './build-page.js'
import { startKodo } from './kodo.js'
import { serveStatic } from './static-server.js'
import { launchBrowser } from './browser.js'
import { writeTestFile } from './test-file.js'
import { measureRun } from './measure.js'
const dir = mkdtempSync(join(tmpdir(), 'qum-try-'))
const file = writeTestFile(dir, 'f.bin', 64 << 20)
const out = await buildPage()
const kodo = await startKodo()
const site = await serveStatic(out)
const browser = await launchBrowser(site.url)
browser.page.on('console', (m) => console.log('page:', m.text()))
await browser.open(file.path)
for (const c of (process.argv[2] ?? 'raw-xhr,v2-md5,v2-no-md5,v1-md5,qiniu-js').split(',')) {
  const r = await measureRun({ kodo, browser, file }, c).catch((e) => ({ contender: c, error: String(e) }))
  console.log(JSON.stringify(r))
}
await browser.browser.close(); await kodo.close(); await site.close()
