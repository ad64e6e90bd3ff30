// The demo page as the queue-demo specs drive it: one demo server (page, token endpoint, local Kodo
// server) per spec file, temp files to pick, and every status line a card showed.
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect as baseExpect, test, type Page } from '@playwright/test'
import { startDemo } from '../../demo/server.js'

// The machine running the suite may be busy: the states come in their order, not on a clock.
export const expect = baseExpect.configure({ timeout: 30_000 })
export const MiB = 1024 * 1024

export interface DemoPage {
  /** The demo's Kodo server's admin API, with its secret. */
  kodo(path: string, body: unknown, method?: string): Promise<Response>
  /** A file of random bytes on disk, for the picker. */
  tempFile(name: string, size: number): Promise<string>
  /** Opens the demo and starts recording every card's status line (`seen`). */
  open(page: Page): Promise<void>
}

/** Starts the demo for the spec file, and clears the Kodo server's throttle and faults after each test. */
export function useDemo(): DemoPage {
  let demo: Awaited<ReturnType<typeof startDemo>>
  let tempDir: string
  const kodo = (path: string, body: unknown, method = 'POST') =>
    fetch(`${demo.kodoUrl}${path}`, { method, headers: demo.kodoAdminHeaders, body: body === undefined ? undefined : JSON.stringify(body) })

  test.beforeAll(async () => {
    demo = await startDemo({ port: 0, watch: false })
    tempDir = await mkdtemp(join(tmpdir(), 'queue-demo-'))
  })
  test.afterAll(async () => {
    await demo?.close()
    if (tempDir) await rm(tempDir, { recursive: true, force: true })
  })
  test.afterEach(async () => {
    await kodo('/_admin/throttle', { bytesPerSec: null })
    await kodo('/_admin/faults', undefined, 'DELETE')
  })

  return {
    kodo,
    tempFile: async (name, size) => {
      const path = join(tempDir, name)
      await writeFile(path, randomBytes(size))
      return path
    },
    open: async (page) => {
      await page.goto(demo.url)
      await expect(page.locator('#backend')).toContainText('bucket')
      // Every status and stats line any card shows, in order, however briefly.
      await page.evaluate(() => {
        const w = window as unknown as { seen: string[] }
        w.seen = []
        new MutationObserver(() => {
          for (const card of document.querySelectorAll('.card')) {
            const line = `${card.querySelector('.status')!.textContent} | ${card.querySelector('.stats')!.textContent} | ${card.querySelector('.bar')!.getAttribute('aria-valuenow')}`
            if (w.seen.at(-1) !== line) w.seen.push(line)
          }
        }).observe(document.getElementById('cards')!, { subtree: true, childList: true, characterData: true, attributes: true })
      })
    },
  }
}

export const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: string[] }).seen)
export const card = (page: Page, name: string) => page.locator('.card').filter({ has: page.getByRole('heading', { name, exact: true }) })
