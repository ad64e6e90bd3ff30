import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { startDemo } from '../../demo/server.js'

// The demo page against its own demo server (page, token endpoint and local Kodo server), driven as a
// person would: drops, the picker, the card buttons and a reload.

const MiB = 1024 * 1024
const screenshot = (name: string) => fileURLToPath(new URL(`../results/${name}`, import.meta.url))

let demo: Awaited<ReturnType<typeof startDemo>>
let kodoUrl: string
let tempDir: string

test.use({ viewport: { width: 1280, height: 800 } })

test.beforeAll(async () => {
  demo = await startDemo({ port: 0, watch: false })
  kodoUrl = demo.kodoUrl!
  tempDir = await mkdtemp(join(tmpdir(), 'demo-spec-'))
})

test.afterAll(async () => {
  await demo?.close()
  if (tempDir) await rm(tempDir, { recursive: true, force: true })
})

/** The demo's local Kodo server's admin API: POST with a JSON body when one is given. */
function kodoAdmin(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<Response> {
  return fetch(kodoUrl + path, { method, headers: demo.kodoAdminHeaders, body: body === undefined ? undefined : JSON.stringify(body) })
}

test.afterEach(async () => {
  await throttle(null)
  await kodoAdmin('/_admin/faults', undefined, 'DELETE')
})

/** Slows every upload on the local server down, so there is time to act mid-upload. */
async function throttle(bytesPerSec: number | null): Promise<void> {
  await kodoAdmin('/_admin/throttle', { bytesPerSec })
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const encodedKey = (key: string) => Buffer.from(key).toString('base64url')

/** A file on disk, so the page gets a real file-backed File through the picker. */
async function tempFile(name: string, size: number): Promise<{ path: string; name: string; sha256: string }> {
  const bytes = randomBytes(size)
  const path = join(tempDir, name)
  await writeFile(path, bytes)
  return { path, name, sha256: sha256(bytes) }
}

async function storedObject(key: string): Promise<{ sha256: string; hash: string }> {
  const object = `/_admin/objects/${demo.bucket}/${encodedKey(key)}`
  const bytes = new Uint8Array(await (await kodoAdmin(`${object}/bytes`)).arrayBuffer())
  const info = (await (await kodoAdmin(object)).json()) as { hash: string }
  return { sha256: sha256(bytes), hash: info.hash }
}

async function openDemo(page: Page): Promise<void> {
  await page.goto(demo.url)
  await pageReady(page)
}

/** The page names its bucket once it has wired up its inputs. */
async function pageReady(page: Page): Promise<void> {
  await expect(page.locator('#backend')).toContainText(`bucket ${demo.bucket}`)
}

function card(page: Page, name: string): Locator {
  return page.locator('.card').filter({ has: page.getByRole('heading', { name, exact: true }) })
}

function parts(fileCard: Locator, state: string): Locator {
  return fileCard.locator(`.part-strip .part[data-state="${state}"]`)
}

interface StoredRecord {
  objectName: string
  uploadId?: string
  parts: unknown[]
}

/** The IndexedDB recorder's records, read straight from the database (without creating it if absent). */
function storedRecords(page: Page): Promise<StoredRecord[]> {
  return page.evaluate(
    () =>
      new Promise<StoredRecord[]>((resolve, reject) => {
        const open = indexedDB.open('qiniu-upload-manager')
        open.onupgradeneeded = () => open.transaction!.abort()
        open.onerror = () => resolve([])
        open.onsuccess = () => {
          const db = open.result
          if (!db.objectStoreNames.contains('resumable-records')) {
            db.close()
            return resolve([])
          }
          const all = db.transaction('resumable-records').objectStore('resumable-records').getAll()
          all.onsuccess = () => {
            db.close()
            resolve(all.result as StoredRecord[])
          }
          all.onerror = () => reject(all.error)
        }
      }),
  )
}

async function recordWithParts(page: Page, objectName: string, atLeast: number): Promise<StoredRecord> {
  let found: StoredRecord | undefined
  await expect
    .poll(async () => {
      found = (await storedRecords(page)).find((record) => record.objectName === objectName)
      return found?.parts.length ?? 0
    }, { timeout: 30_000 }) // a busy machine hashes slowly: wait for the parts, however long they take
    .toBeGreaterThanOrEqual(atLeast)
  return found!
}

/** Picks a file on a slowed-down server; returns once its record holds `recordedParts` finished parts. */
async function uploadSlowly(page: Page, name: string, size: number, recordedParts: number) {
  await openDemo(page)
  await throttle(8_000_000)
  const file = await tempFile(name, size)
  await page.setInputFiles('#picker', file.path)
  const record = await recordWithParts(page, file.name, recordedParts)
  return { file, record, fileCard: card(page, file.name) }
}

async function expectStoredAsSent(page: Page, name: string, expectedSha256: string): Promise<void> {
  const fileCard = card(page, name)
  await expect(fileCard.locator('.percent')).toHaveText('100 %')
  const stored = await storedObject(name)
  expect(stored.sha256).toBe(expectedSha256)
  await expect(fileCard.locator('.result')).toContainText(name)
  await expect(fileCard.locator('.result')).toContainText(stored.hash)
}

test('files dropped and picked all reach 100 % and are stored byte for byte', async ({ page }) => {
  await openDemo(page)
  await throttle(24_000_000)

  // Picked: the drop zone is a button; Enter on it opens the file picker.
  const picked = [await tempFile('holiday-video.mp4', 40 * MiB), await tempFile('dataset.csv', 18 * MiB + 77)]
  const zone = page.locator('#drop-zone')
  const chooser = page.waitForEvent('filechooser')
  await zone.focus()
  await page.keyboard.press('Enter')
  await (await chooser).setFiles(picked.map((file) => file.path))

  // Dropped, with V1 chosen first: Files made in the page, handed over in a DataTransfer as a real drag would.
  await page.getByRole('radio', { name: 'V1' }).check()
  const dropped = [
    { name: 'notes.txt', size: 300 * 1024 },
    { name: 'photo.jpg', size: 6 * MiB + 5 },
    { name: 'slides.pdf', size: 9 * MiB },
  ]
  const transfer = await page.evaluateHandle((files) => {
    const data = new DataTransfer()
    for (const { name, size } of files) {
      const bytes = new Uint8Array(size)
      for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536))
      data.items.add(new File([bytes], name))
    }
    return data
  }, dropped)
  const droppedSha256 = await transfer.evaluate(async (data) => {
    const hex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('')
    return Promise.all([...data.files].map(async (file) => hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()))))
  })
  for (const type of ['dragenter', 'dragover', 'drop']) await zone.dispatchEvent(type, { dataTransfer: transfer })

  await expect(page.locator('.card')).toHaveCount(5)
  await expect(parts(card(page, 'holiday-video.mp4'), 'done').first()).toBeVisible()
  await page.screenshot({ path: screenshot('demo-mid-upload.png') })

  await expect(page.locator('.card[data-state="done"]')).toHaveCount(5, { timeout: 60_000 })
  await throttle(null)
  for (const [index, file] of dropped.entries()) await expectStoredAsSent(page, file.name, droppedSha256[index]!)
  for (const file of picked) await expectStoredAsSent(page, file.name, file.sha256)
  await expect(parts(card(page, 'holiday-video.mp4'), 'done')).toHaveCount(10)
  await expect(card(page, 'holiday-video.mp4').locator('.meta')).toContainText('V2')
  await expect(parts(card(page, 'slides.pdf'), 'done')).toHaveCount(3)
  await expect(card(page, 'slides.pdf').locator('.meta')).toContainText('V1')
  await expect(page.locator('#queue-summary')).toHaveText('5 done')
  await expect(page.locator('#hashing')).toHaveText('Hashing in Web Workers.')
  await expect(page.locator('#announcer')).toContainText('done')

  const link = await card(page, 'dataset.csv').getByRole('link', { name: 'Open object' }).getAttribute('href')
  const linked = await page.request.get(new URL(link!, demo.url).href)
  expect(sha256(await linked.body())).toBe(picked[1]!.sha256)
  await page.screenshot({ path: screenshot('demo-done.png'), fullPage: true })
})

/** A folder on disk with files at two depths; each file's key is its path in the folder, as the demo names it. */
async function tempFolder(name: string): Promise<{ path: string; files: Array<{ key: string; sha256: string }> }> {
  const path = join(tempDir, name)
  await mkdir(join(path, 'raw'), { recursive: true })
  const files = []
  for (const [relative, size] of [['cover.jpg', 200 * 1024], ['raw/one.bin', 5 * MiB + 3], ['raw/two.bin', 1000]] as const) {
    const bytes = randomBytes(size)
    await writeFile(join(path, relative), bytes)
    files.push({ key: `${name}/${relative}`, sha256: sha256(bytes) })
  }
  return { path, files }
}

test('a folder, chosen or dropped, uploads every file in it under its path', async ({ page }) => {
  await openDemo(page)
  const chosen = await tempFolder('album')
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Choose a folder' }).click()
  await (await chooser).setFiles(chosen.path)

  // Dropped as a person drops it: Chromium's own drag carries the folder (CDP), not a script's DataTransfer.
  const dropped = await tempFolder('trip')
  const box = (await page.locator('#drop-zone').boundingBox())!
  const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 }
  const cdp = await page.context().newCDPSession(page)
  const data = { items: [], files: [dropped.path], dragOperationsMask: 1 }
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await cdp.send('Input.dispatchDragEvent', { type, ...at, data })

  await expect(page.locator('.card[data-state="done"]')).toHaveCount(6, { timeout: 60_000 })
  for (const file of [...chosen.files, ...dropped.files]) expect((await storedObject(file.key)).sha256, file.key).toBe(file.sha256)
})

test('pause keeps the finished parts and resume sends only the rest', async ({ page }) => {
  const { file, fileCard } = await uploadSlowly(page, 'pause-me.bin', 24 * MiB, 1)

  // By keyboard: the focus moves on to Resume when Pause goes away.
  await fileCard.getByRole('button', { name: `Pause ${file.name}` }).focus()
  await page.keyboard.press('Enter')
  await expect(fileCard.locator('.status')).toHaveText('Paused')
  await expect(fileCard.getByRole('button', { name: `Resume ${file.name}` })).toBeFocused()
  await expect(parts(fileCard, 'uploading')).toHaveCount(0)
  const kept = await parts(fileCard, 'done').count()
  expect(kept).toBeGreaterThanOrEqual(1)

  await throttle(null)
  await page.keyboard.press('Enter')
  await expect(fileCard.locator('.status')).toHaveText('Done')
  expect(await parts(fileCard, 'resumed').count()).toBeGreaterThanOrEqual(kept)
  await expectStoredAsSent(page, file.name, file.sha256)
})

test('cancel forgets the record and aborts the upload on the server', async ({ page }) => {
  const { file, fileCard, record } = await uploadSlowly(page, 'cancel-me.bin', 24 * MiB, 1)

  await fileCard.getByRole('button', { name: `Cancel ${file.name}` }).click()
  await fileCard.getByRole('button', { name: `Yes, cancel ${file.name}` }).click()
  await expect(fileCard.locator('.status')).toHaveText('Cancelled')
  expect((await storedRecords(page)).filter((r) => r.objectName === file.name)).toHaveLength(0)

  const { token } = (await (await fetch(`${demo.url}api/token?key=${encodeURIComponent(file.name)}`)).json()) as { token: string }
  const listParts = await fetch(`${kodoUrl}/buckets/${demo.bucket}/objects/${encodedKey(file.name)}/uploads/${record.uploadId}`, {
    headers: { Authorization: `UpToken ${token}` },
  })
  expect(listParts.status).toBe(612)
})

test('after a reload, the page lists the unfinished upload and the same file added again resumes it', async ({ page }) => {
  const { file, record } = await uploadSlowly(page, 'big-upload.bin', 48 * MiB, 2)

  await page.reload()
  await pageReady(page)
  const unfinished = page.locator('#resumables')
  await expect(unfinished).toBeVisible()
  await expect(unfinished).toContainText(file.name)

  await throttle(null)
  await page.setInputFiles('#picker', file.path)
  await expect(unfinished).toBeHidden()
  const fileCard = card(page, file.name)
  await expect(fileCard.locator('.status')).toHaveText('Done', { timeout: 60_000 })
  expect(await parts(fileCard, 'resumed').count()).toBeGreaterThanOrEqual(record.parts.length)
  await expectStoredAsSent(page, file.name, file.sha256)
})

test('"Forget" on an unfinished upload asks first; Keep keeps it, "Yes, forget" deletes the record', async ({ page }) => {
  const { file } = await uploadSlowly(page, 'forget-me.bin', 24 * MiB, 1)
  await page.reload()
  await pageReady(page)
  await throttle(null)
  const unfinished = page.locator('#resumables')
  const forget = unfinished.getByRole('button', { name: `Forget the unfinished upload of ${file.name}` })
  await forget.click()
  await expect(unfinished.getByRole('group', { name: `Forget ${file.name}?` })).toContainText('What was sent cannot be resumed')
  await expect(unfinished.getByRole('button', { name: `Keep the upload of ${file.name}` })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(forget).toBeFocused()
  expect((await storedRecords(page)).filter((r) => r.objectName === file.name)).toHaveLength(1)
  await forget.click()
  await unfinished.getByRole('button', { name: `Yes, forget ${file.name}` }).click()
  await expect(unfinished).toBeHidden()
  await expect.poll(async () => (await storedRecords(page)).filter((r) => r.objectName === file.name).length).toBe(0)
})

test('a failure reads as a sentence with its X-ReqId, and retry finishes the upload', async ({ page }) => {
  await openDemo(page)
  // Aborted part uploads of earlier tests are logged as 400s too (a body cut short).
  await kodoAdmin('/_admin/log', undefined, 'DELETE')
  await kodoAdmin('/_admin/faults', { api: 'part', action: 'status', status: 400, error: 'part rejected for the test' })
  const file = await tempFile('rejected.bin', 6 * MiB)
  await page.setInputFiles('#picker', file.path)
  const fileCard = card(page, file.name)
  await expect(fileCard.locator('.status')).toHaveText('Failed')
  const log = (await (await kodoAdmin('/_admin/log')).json()) as Array<{ api: string; status: number; reqId: string }>
  const rejected = log.find((entry) => entry.api === 'part' && entry.status === 400)!
  const error = fileCard.getByRole('alert')
  await expect(error).toContainText('part rejected for the test')
  await expect(error).toContainText(`X-ReqId ${rejected.reqId}`)
  // Only the part whose request failed turns red; the others in flight go back to waiting.
  await expect(parts(fileCard, 'failed')).toHaveCount(1)

  await fileCard.getByRole('button', { name: `Retry ${file.name}` }).click()
  await expect(fileCard.locator('.status')).toHaveText('Done')
  await expectStoredAsSent(page, file.name, file.sha256)
})

test('a pasted file is uploaded', async ({ page }) => {
  await openDemo(page)
  await page.evaluate(() => {
    const data = new DataTransfer()
    data.items.add(new File(['pasted from the clipboard'], 'pasted.txt', { type: 'text/plain' }))
    document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data }))
  })
  await expect(card(page, 'pasted.txt').locator('.status')).toHaveText('Done')
  await expectStoredAsSent(page, 'pasted.txt', sha256(Buffer.from('pasted from the clipboard')))
})
