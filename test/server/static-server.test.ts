import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { serveStatic } from '../setup/static-server.js'

it('the tests\' static server answers 404 for a path through a file (ENOTDIR), and keeps serving', async () => {
  const root = await mkdtemp(join(tmpdir(), 'static-'))
  await writeFile(join(root, 'index.html'), '<p>hi</p>')
  const site = await serveStatic(root)
  try {
    for (const path of ['/index.html/x', '/index.html/x/y', '/missing.js', '/../etc/passwd']) {
      expect((await fetch(site.url + path)).status, path).toBe(404)
    }
    const page = await fetch(site.url + '/')
    expect(page.status).toBe(200)
    expect(await page.text()).toBe('<p>hi</p>')
  } finally {
    await site.close()
    await rm(root, { recursive: true, force: true })
  }
})
