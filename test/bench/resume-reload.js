// @ts-check
// Bytes sent twice when the page is reloaded in the middle of a library V2 upload (IndexedDB
// recorder, the default) and the same file is uploaded again: all part bytes the server received,
// finished or cut off, minus the file size.

const LANES = 4
const PART_BYTES = 4 * 2 ** 20
/** Half of the file takes seconds at the throttled speeds; this only stops a stalled first attempt hanging the run. */
const WAIT_LIMIT_MS = 120_000

/**
 * @param {import('./measure.js').Env} env
 * @param {number} bytesPerSec The link speed while the first attempt runs, so the reload lands mid-upload.
 */
export async function measureResume({ kodo, browser, file }, bytesPerSec) {
  await kodo.reset()
  const key = `bench/resume/${Date.now()}`
  const request = { contender: 'v2-md5', kodoUrl: kodo.url, token: await kodo.token(key), key }
  await kodo.throttle(bytesPerSec)
  let sentAtReload
  try {
    await browser.page.evaluate((request) => void window.bench.run(request), request)
    sentAtReload = await waitUntilSent(browser.page, file.size / 2)
    await browser.reload(file.path)
  } finally {
    await kodo.throttle(null)
  }
  const result = await browser.page.evaluate((request) => window.bench.run(request), request)
  await browser.page.evaluate(() => window.bench.dispose())
  const partBytes = (await kodo.log()).filter((entry) => entry.api === 'part' && entry.method === 'PUT').reduce((sum, entry) => sum + entry.bodyBytes, 0)
  const object = await kodo.object(key)
  const error = result.error ?? (object?.hash === file.qetag ? undefined : `the resumed object is wrong: ${JSON.stringify(object)}`)
  return { fileBytes: file.size, sentAtReload, partBytes, resentBytes: partBytes - file.size, boundBytes: LANES * PART_BYTES, ...(error && { error }) }
}

/**
 * Polls the page's progress until `bytes` are sent; resolves with the count it saw.
 * @param {import('playwright').Page} page
 * @param {number} bytes
 */
async function waitUntilSent(page, bytes) {
  for (const deadline = Date.now() + WAIT_LIMIT_MS; Date.now() < deadline; ) {
    const { sent, outcome } = await page.evaluate(() => window.bench.progress())
    if (sent >= bytes) return sent
    if (outcome !== undefined) throw new Error(`the first attempt ended at ${sent} bytes: ${outcome || 'done before the reload'}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`the first attempt did not reach ${bytes} bytes in ${WAIT_LIMIT_MS / 1000} s`)
}

/** @typedef {Awaited<ReturnType<typeof measureResume>>} ResumeFigures */
