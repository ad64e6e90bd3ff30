import { createHash } from 'node:crypto'
import { expect, test, type Page } from '@playwright/test'
import { serveStatic } from '../setup/static-server.js'
import { kodo, kodoAdmin, kodoToken } from './kodo.js'

// qiniu-js 3.4.4, the official browser SDK, unchanged (its UMD build from node_modules), uploads from a
// page on another origin than the local server: form upload and multi-part V2 (it has no V1 path).

const MiB = 1 << 20

interface LogEntry {
  api: string
  status: number
  headers: Record<string, string>
  partNumber?: number
}

interface StoredObject {
  hash: string
  md5: string
  fsize: number
  fname: string
  mimeType: string
  customVars: Record<string, string>
  metadata: Record<string, string>
}

const page_ = `<!doctype html><meta charset="utf-8"><script src="/node_modules/qiniu-js/dist/qiniu.min.js"></script>`
let site: Awaited<ReturnType<typeof serveStatic>>

test.beforeAll(async () => {
  site = await serveStatic(process.cwd(), { '/': page_ })
})

test.afterAll(() => site.close())

test.beforeEach(async () => {
  await kodoAdmin('/_admin/log', undefined, 'DELETE')
})

const b64 = (key: string) => Buffer.from(key).toString('base64url')

async function stored(key: string): Promise<{ info: StoredObject; bytes: Buffer }> {
  const base = `/_admin/objects/dev-bucket/${b64(key)}`
  const info = (await (await kodoAdmin(base)).json()) as StoredObject
  const bytes = Buffer.from(await (await kodoAdmin(`${base}/bytes`)).arrayBuffer())
  return { info, bytes }
}

const uploadLog = async () => ((await (await kodoAdmin('/_admin/log')).json()) as LogEntry[]).filter((e) => e.api !== 'preflight')

/**
 * Builds a seeded file in the page, uploads it with `qiniu.upload` and resolves with the SDK's answer
 * and the file's bytes (base64) for the byte-for-byte check.
 */
async function uploadWithQiniuJs(page: Page, args: { key: string; size: number; config: Record<string, unknown>; putExtra?: Record<string, unknown> }) {
  await page.goto(site.url + '/')
  return page.evaluate(
    async ({ kodoUrl, token, key, size, config, putExtra }) => {
      const bytes = new Uint8Array(size)
      for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(size, i + 65536)))
      const file = new File([bytes], 'clip.mp4', { type: 'video/mp4' })
      const host = new URL(kodoUrl).host
      const qiniu = (window as any).qiniu
      const answer = await new Promise((resolve, reject) => {
        const fullConfig = { uphost: host, upprotocol: 'http', disableStatisticsReport: true, ...config }
        qiniu.upload(file, key, token, putExtra ?? {}, fullConfig).subscribe({ error: reject, complete: resolve })
      }).catch((error: any) => ({ failed: `${error.name}: ${error.message}` }))
      const sha256 = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (b) => b.toString(16).padStart(2, '0')).join('')
      return { answer, sha256 }
    },
    { kodoUrl: kodo(), token: await kodoToken({ key: args.key }), ...args },
  )
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

test('form upload (≤ 4 MiB): fname, MIME type, custom vars and metadata kept, bytes identical', async ({ page }) => {
  const key = `qiniu-js-form-${Date.now()}`
  const result = await uploadWithQiniuJs(page, {
    key,
    size: 3 * MiB + 11,
    config: {},
    putExtra: { customVars: { 'x:album': 'holiday' }, metadata: { 'x-qn-meta-camera': 'x100' } },
  })
  const { info, bytes } = await stored(key)
  expect(result.answer).toEqual({ hash: info.hash, key })
  expect(sha256(bytes)).toBe(result.sha256)
  // One 4 MiB block or less: 0x16 + SHA-1 (official-sdk.test.ts checks the qetag algorithm itself).
  expect(info.hash).toBe(Buffer.concat([Buffer.from([0x16]), createHash('sha1').update(bytes).digest()]).toString('base64url'))
  expect(info).toMatchObject({ fname: 'clip.mp4', mimeType: 'video/mp4', customVars: { 'x:album': 'holiday' }, metadata: { 'x-qn-meta-camera': 'x100' } })
  expect((await uploadLog()).map((e) => `${e.api}:${e.status}`)).toEqual(['form:200'])
})

// 4 MiB parts give the whole-content hash of several blocks ('l…'), other sizes the part-layout hash ('n…').
for (const [chunkSize, hashPrefix] of [
  [4, 'l'],
  [2, 'n'],
] as const) {
  test(`multi-part V2 with checkByMD5, ${chunkSize} MiB chunks: hex Content-MD5 on every part, the hash of that layout`, async ({ page }) => {
    const key = `qiniu-js-v2-${chunkSize}-${Date.now()}`
    const size = 13 * MiB + 5
    const result = await uploadWithQiniuJs(page, {
      key,
      size,
      config: { checkByMD5: true, chunkSize, concurrentRequestLimit: 3 },
      putExtra: { mimeType: 'video/mp4', customVars: { 'x:n': String(chunkSize) } },
    })
    const { info, bytes } = await stored(key)
    expect(result.answer).toEqual({ hash: info.hash, key })
    expect(sha256(bytes)).toBe(result.sha256)
    expect(info.hash[0]).toBe(hashPrefix)
    expect(info).toMatchObject({ fsize: size, fname: 'clip.mp4', mimeType: 'video/mp4', customVars: { 'x:n': String(chunkSize) } })
    const log = await uploadLog()
    const parts = log.filter((e) => e.api === 'part')
    expect(parts).toHaveLength(Math.ceil(size / (chunkSize * MiB)))
    expect(parts.every((e) => e.status === 200 && /^[0-9a-f]{32}$/.test(e.headers['content-md5'] ?? ''))).toBe(true)
    expect(log.filter((e) => e.api !== 'part').map((e) => `${e.api}:${e.status}`)).toEqual(['init:200', 'complete:200'])
    expect(log.every((e) => e.headers.origin === site.url)).toBe(true)
  })
}

test('a paused multi-part upload resumes from its localStorage record: same uploadId, cached parts re-hashed, not re-sent', async ({ page }) => {
  const key = `qiniu-js-resume-${Date.now()}`
  await page.goto(site.url + '/')
  // Slow parts, so the pause lands while later parts are still on their way.
  await kodoAdmin('/_admin/faults', { api: 'part', nth: 1, times: 100, action: 'throttle', bytesPerSec: 8 * MiB })
  try {
    const outcome = await page.evaluate(
      async ({ kodoUrl, token, key }) => {
        const bytes = new Uint8Array(10 * 1024 * 1024)
        for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536))
        const file = new File([bytes], 'resume.bin')
        const config = { uphost: new URL(kodoUrl).host, upprotocol: 'http', disableStatisticsReport: true, checkByMD5: true, chunkSize: 1, concurrentRequestLimit: 2 }
        const qiniu = (window as any).qiniu
        // Pause (unsubscribe) once three chunks are sent; their answers may still be on the way.
        await new Promise<void>((resolve, reject) => {
          const subscription = qiniu.upload(file, key, token, {}, config).subscribe({
            next: (progress: any) => {
              if (progress.chunks.filter((c: any) => c.percent === 100).length >= 3) {
                subscription.unsubscribe()
                resolve()
              }
            },
            error: reject,
          })
        })
        const resumed = await new Promise<any[]>((resolve, reject) => {
          let chunks: any[] = []
          qiniu.upload(file, key, token, {}, config).subscribe({ next: (p: any) => (chunks = p.chunks), error: reject, complete: () => resolve(chunks) })
        })
        return { fromCache: resumed.filter((c) => c.fromCache).length }
      },
      { kodoUrl: kodo(), token: await kodoToken({ key }), key },
    )
    expect(outcome.fromCache).toBeGreaterThanOrEqual(2)
    const log = await uploadLog()
    expect(log.filter((e) => e.api === 'init')).toHaveLength(1)
    const finished = log.filter((e) => e.api === 'part' && e.status === 200).map((e) => e.partNumber)
    expect(new Set(finished).size).toBe(10)
    // Only parts cut off by the pause went up twice.
    expect(finished.length - 10).toBeLessThanOrEqual(2)
    expect((await stored(key)).info.fsize).toBe(10 * MiB)
  } finally {
    await kodoAdmin('/_admin/faults', undefined, 'DELETE')
  }
})
