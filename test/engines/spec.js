// @ts-check
// The subset of the browser suite that runs in every engine: one spec, driven through ./drivers/page.js.
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** @typedef {import('./drivers/page.js').EnginePage} EnginePage */
/** @typedef {import('./page/main.ts').RunSnapshot} RunSnapshot */
/** @typedef {import('./page/main.ts').StartSpec} StartSpec */
/**
 * @typedef {object} SpecContext
 * @property {EnginePage} page
 * @property {import('../../src/kodo-server/server.js').KodoServer} kodo
 * @property {string} pageUrl
 * @property {TestFile} file the file-backed test file for the V2 and V1 uploads (≥ 64 MiB)
 * @property {TestFile} smallFile a smaller one for the tests that interrupt an upload
 * @property {string} engine
 * @property {Map<string, RunSnapshot>} finished settled runs by id, for the checks that look at earlier uploads
 */
/** @typedef {{ path: string, size: number, sha256: string }} TestFile */
/**
 * @typedef {object} EngineTest
 * @property {string} name
 * @property {(ctx: SpecContext) => Promise<void | { skipped: string }>} run
 */

const MiB = 1 << 20
const PART = 4 * MiB
const LANES = 2

/** @type {EngineTest[]} */
export const engineTests = [
  {
    name: 'V2: a 64 MiB file-backed File, hashed in workers, every part with Content-MD5, stored byte for byte',
    async run(ctx) {
      const run = await uploadPickedFile(ctx, 'v2')
      const parts = ctx.kodo.requestLog().filter((entry) => entry.api === 'part')
      assert.equal(parts.length, Math.ceil(ctx.file.size / PART))
      assert.deepEqual(parts.filter((entry) => !/^[0-9a-f]{32}$/.test(entry.headers['content-md5'] ?? '')), [], 'parts without a hex Content-MD5')
      assert.equal(run.partsDone, parts.length)
    },
  },
  {
    name: 'V1: the same file in 4 MiB blocks (mkblk, crc32 checked by the server), hashed in workers, stored byte for byte',
    async run(ctx) {
      await uploadPickedFile(ctx, 'v1')
      const blocks = ctx.kodo.requestLog().filter((entry) => entry.api === 'mkblk')
      assert.equal(blocks.length, Math.ceil(ctx.file.size / PART))
    },
  },
  {
    name: 'progress is monotone and ends at the total (V2 and V1)',
    async run(ctx) {
      for (const id of ['v2', 'v1']) {
        const run = earlierRun(ctx, id)
        assert.ok(run.progressEvents > 1, `${id}: only ${run.progressEvents} progress events`)
        assert.equal(run.progressBackwards, 0, `${id}: progress went backwards`)
        assert.deepEqual(run.lastProgress, { transferredBytes: ctx.file.size, totalBytes: ctx.file.size }, `${id}: last progress`)
      }
    },
  },
  {
    name: 'progress moves inside every part (estimated where the engine reports rarely), never goes back, ends at the total',
    async run(ctx) {
      await openPage(ctx)
      const key = uniqueKey(ctx, 'progress-steps')
      const part = 8 * MiB
      // Parts larger than the loopback's socket buffers, sent at 2 MiB/s: a part takes seconds.
      ctx.kodo.addFaults({ api: 'part', nth: 1, times: 100, action: 'throttle', bytesPerSec: 2 * MiB })
      /** @type {RunSnapshot} */
      let run
      try {
        run = await startAndSettle(ctx, { id: 'progress-steps', key, uploader: 'v2', source: 2 * part, partSize: part, concurrency: 1, logProgress: true })
      } finally {
        ctx.kodo.clearFaults()
      }
      assertSucceeded(run, key)
      const log = run.progressLog ?? []
      const transferred = log.map(([bytes]) => bytes)
      assert.deepEqual(transferred, [...transferred].sort((a, b) => a - b), 'progress went backwards')
      assert.deepEqual(run.lastProgress, { transferredBytes: 2 * part, totalBytes: 2 * part })
      assert.equal(log.at(-1)?.[1], 0, 'the last figure is an estimate')
      // The first part goes before any answer measured the pace: it moves only as the engine reports.
      // An engine may report a whole part handed to the socket at once (Chromium, once the loopback's
      // buffers have grown): that counts as 90 % of the part until its answer, one step inside it.
      for (const n of [1, 2]) {
        const inside = transferred.filter((bytes) => bytes > (n - 1) * part && bytes < n * part)
        assert.ok(inside.length >= 1, `part ${n}: ${inside.length} progress events inside it: ${JSON.stringify(log.slice(0, 40))}`)
      }
      // Firefox reports a body's progress in large steps; the library fills the gaps with estimates.
      if (ctx.engine === 'firefox') assert.ok(run.estimatedEvents > 0, 'no estimated progress in Firefox')
    },
  },
  {
    name: 'the hashing workers ran (not the main-thread fallback)',
    async run(ctx) {
      for (const id of ['v2', 'v1']) {
        const run = earlierRun(ctx, id)
        assert.equal(run.usedMainThread, false, `${id}: hashed on the main thread: ${run.warnings.join('; ')}`)
        assert.ok(run.maxLiveWorkers >= 1, `${id}: no hashing worker was ever alive`)
        assert.deepEqual(run.warnings, [])
      }
    },
  },
  {
    name: 'form upload with every ObjectParams field (objectName, fileName, contentType, metadata, customVars, upEndpoints, signal)',
    async run(ctx) {
      await openPage(ctx)
      const key = uniqueKey(ctx, 'form')
      const run = await startAndSettle(ctx, {
        id: 'form',
        key,
        uploader: 'form',
        source: MiB + 5,
        noManagerEndpoints: true,
        params: { fileName: 'notes.txt', contentType: 'text/plain', metadata: { owner: 'ann' }, customVars: { album: 'x' }, upEndpoints: [ctx.kodo.url] },
      })
      assertSucceeded(run, key)
      const stored = /** @type {any} */ (await ctx.kodo.objectInfo(key))
      assert.deepEqual(
        { fname: stored.fname, mimeType: stored.mimeType, metadata: stored.metadata, customVars: stored.customVars },
        { fname: 'notes.txt', mimeType: 'text/plain', metadata: { 'x-qn-meta-owner': 'ann' }, customVars: { 'x:album': 'x' } },
      )
      assert.equal(await storedSha256(ctx, key), run.sourceSha256)
      assert.deepEqual(run.lastProgress, { transferredBytes: MiB + 5, totalBytes: MiB + 5 })
    },
  },
  {
    name: 'pause and resume: an aborted upload carries on from its finished parts',
    async run(ctx) {
      const key = await interruptedUpload(ctx, 'pause', { parts: 2, bytesPerSec: 8 * MiB }, async () => {
        const { snapshot } = await ctx.page.call('abort', ['pause'])
        assert.equal(snapshot.outcome.error?.kind, 'aborted')
      })
      await resumeAndCheck(ctx, 'resume', key)
    },
  },
  {
    name: 'abort settles within 2 s',
    async run(ctx) {
      await interruptedUpload(ctx, 'abort', { parts: 1, bytesPerSec: 4 * MiB }, async () => {
        const { settleMs, snapshot } = await ctx.page.call('abort', ['abort'])
        assert.equal(snapshot.outcome.error?.kind, 'aborted')
        assert.ok(settleMs < 2000, `the aborted upload settled after ${Math.round(settleMs)} ms`)
      })
    },
  },
  {
    name: 'a reload in the middle of an upload resumes from IndexedDB when the file is picked again',
    async run(ctx) {
      const key = await interruptedUpload(ctx, 'reload', { parts: 3, bytesPerSec: 8 * MiB }, () => ctx.page.reload())
      await waitForReady(ctx)
      await ctx.page.setFile('#file', ctx.smallFile.path)
      await resumeAndCheck(ctx, 'after-reload', key)
    },
  },
  {
    name: 'a file rewritten on disk during its upload fails with local-io and stores nothing (never a mix of the two)',
    async run(ctx) {
      const dir = mkdtempSync(join(tmpdir(), 'qum-engine-changed-'))
      const path = join(dir, 'changing.bin')
      writeFileSync(path, randomBytes(24 * MiB))
      try {
        await openPage(ctx)
        await ctx.page.setFile('#file', path)
        const key = uniqueKey(ctx, 'changed')
        ctx.kodo.setThrottle(8 * MiB)
        try {
          await start(ctx, { id: 'changed', key, uploader: 'v2', source: 'file', partSize: MiB, concurrency: LANES })
          await waitForParts(ctx, 'changed', 2)
          writeFileSync(path, randomBytes(24 * MiB))
        } finally {
          ctx.kodo.setThrottle(null)
        }
        /** @type {RunSnapshot} */
        const run = await ctx.page.call('settle', ['changed'])
        assert.equal(run.outcome && 'error' in run.outcome ? run.outcome.error.kind : undefined, 'local-io', JSON.stringify(run.outcome))
        assert.equal(await ctx.kodo.objectBytes(key), null, 'an object was stored')
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  },
  {
    name: 'queue: after a reload mid-upload, restore() lists the file with its kept parts, and the file picked again resumes from them',
    async run(ctx) {
      const dbName = `engines-queue-${Date.now()}`
      const queueSpec = () => ({ kodoUrl: ctx.kodo.url, token: ctx.kodo.makeToken(), dbName })
      const key = uniqueKey(ctx, 'queue')
      await openPage(ctx)
      await ctx.page.setFile('#file', ctx.smallFile.path)
      ctx.kodo.clearLog()
      ctx.kodo.setThrottle(8 * MiB)
      try {
        await ctx.page.call('queueAdd', [{ ...queueSpec(), key }])
        await poll(async () => ((await ctx.page.call('queueItems', []))[0]?.keptBytes ?? 0) >= 2 * PART, 'two parts kept by the queue')
        await ctx.page.reload()
      } finally {
        ctx.kodo.setThrottle(null)
      }
      await waitForReady(ctx)
      /** @type {import('./page/main.ts').QueueItemView[]} */
      const restored = await ctx.page.call('queueRestore', [queueSpec()])
      assert.deepEqual(restored.map((item) => item.state), ['needs-file'])
      assert.ok(restored[0].keptBytes >= 2 * PART, `the restored item keeps ${restored[0].keptBytes} bytes`)
      await ctx.page.setFile('#file', ctx.smallFile.path)
      const { items, resumedParts } = await ctx.page.call('queueProvideFile', [])
      assert.deepEqual(items.map((/** @type {{ state: string }} */ item) => item.state), ['done'], JSON.stringify(items))
      assert.ok(resumedParts >= 2, `only ${resumedParts} parts were resumed`)
      assert.equal(ctx.kodo.requestLog().filter((entry) => entry.api === 'init').length, 1, 'a second upload was started')
      assert.equal(await storedSha256(ctx, key), ctx.smallFile.sha256)
    },
  },
  {
    name: 'offline: lanes wait for the network instead of failing, then the upload completes',
    async run(ctx) {
      const setOffline = ctx.page.setOffline
      if (!setOffline) return { skipped: `the ${ctx.engine} driver cannot cut the page's network` }
      const cannotCut = (/** @type {unknown} */ error) => ({ skipped: `the ${ctx.engine} driver cannot cut the page's network: ${String(error).split('\n')[0]}` })
      // Asked before the upload: an engine that cannot do it says so at once.
      try {
        await setOffline(false)
      } catch (error) {
        return cannotCut(error)
      }
      await openPage(ctx)
      const key = uniqueKey(ctx, 'offline')
      ctx.kodo.addFaults({ api: 'part', nth: 1, times: 1000, action: 'throttle', bytesPerSec: 2 * MiB })
      let failedWhileOffline = 0
      try {
        await start(ctx, { id: 'offline', key, uploader: 'v2', source: 24 * MiB, partSize: MiB, concurrency: 4 })
        await waitForParts(ctx, 'offline', 4)
        try {
          await setOffline(true)
        } catch (error) {
          return cannotCut(error)
        }
        await new Promise((resolve) => setTimeout(resolve, 3000))
        failedWhileOffline = (await ctx.page.call('status', ['offline'])).failedAttempts
        await setOffline(false)
      } finally {
        ctx.kodo.clearFaults()
      }
      const run = await ctx.page.call('settle', ['offline'])
      assertSucceeded(run, key)
      assert.equal(await storedSha256(ctx, key), run.sourceSha256)
      // At most one failed attempt per lane: each lane then waited instead of burning its retries.
      assert.ok(failedWhileOffline > 0 && failedWhileOffline <= 4, `${failedWhileOffline} attempts failed while offline`)
      assert.equal(run.failedAttempts, failedWhileOffline)
    },
  },
]

/** @param {SpecContext} ctx @param {'v1' | 'v2'} version */
async function uploadPickedFile(ctx, version) {
  await openPage(ctx)
  await ctx.page.setFile('#file', ctx.file.path)
  const picked = await ctx.page.call('pickedFile', [])
  assert.equal(picked?.size, ctx.file.size, 'the picked file')
  const key = uniqueKey(ctx, version)
  ctx.kodo.clearLog()
  const run = await startAndSettle(ctx, { id: version, key, uploader: version, source: 'file', concurrency: 4 })
  assertSucceeded(run, key)
  assert.equal(await storedSha256(ctx, key), ctx.file.sha256)
  return run
}

/**
 * Starts a V2 upload of the small file with the server slowed down, and interrupts it once `parts`
 * parts are done (the upload's id is its name).
 * @param {SpecContext} ctx @param {string} id
 * @param {{ parts: number, bytesPerSec: number }} slow
 * @param {() => Promise<void>} interrupt
 * @returns {Promise<string>} the object key
 */
async function interruptedUpload(ctx, id, { parts, bytesPerSec }, interrupt) {
  await openPage(ctx)
  await ctx.page.setFile('#file', ctx.smallFile.path)
  const key = uniqueKey(ctx, id)
  ctx.kodo.setThrottle(bytesPerSec)
  try {
    await start(ctx, { id, key, uploader: 'v2', source: 'file', concurrency: LANES })
    await waitForParts(ctx, id, parts)
    await interrupt()
  } finally {
    ctx.kodo.setThrottle(null)
  }
  return key
}

/**
 * Uploads the small file again under the same key: it completes byte for byte, from at least 2 parts
 * already done (the record of the last part or two may not have been written when the upload stopped).
 * @param {SpecContext} ctx @param {string} id @param {string} key
 */
async function resumeAndCheck(ctx, id, key) {
  const run = await startAndSettle(ctx, { id, key, uploader: 'v2', source: 'file', concurrency: LANES })
  assertSucceeded(run, key)
  assert.ok(run.partsResumed >= 2, `only ${run.partsResumed} parts were resumed`)
  assert.equal(await storedSha256(ctx, key), ctx.smallFile.sha256)
}

/** @param {SpecContext} ctx */
async function openPage(ctx) {
  await ctx.page.open(ctx.pageUrl)
  await waitForReady(ctx)
}

/** @param {SpecContext} ctx */
async function waitForReady(ctx) {
  await poll(async () => (await ctx.page.call('ready', []).catch(() => false)) === true, 'the test page to load')
}

/** @param {SpecContext} ctx @param {Omit<StartSpec, 'kodoUrl' | 'token'>} spec */
async function start(ctx, spec) {
  await ctx.page.call('start', [{ ...spec, kodoUrl: ctx.kodo.url, token: ctx.kodo.makeToken() }])
}

/** @param {SpecContext} ctx @param {Omit<StartSpec, 'kodoUrl' | 'token'>} spec @returns {Promise<RunSnapshot>} */
async function startAndSettle(ctx, spec) {
  await start(ctx, spec)
  const run = await ctx.page.call('settle', [spec.id])
  ctx.finished.set(spec.id, run)
  return run
}

/** @param {SpecContext} ctx @param {string} id @param {number} parts */
async function waitForParts(ctx, id, parts) {
  await poll(async () => {
    /** @type {RunSnapshot} */
    const run = await ctx.page.call('status', [id])
    if (run.outcome) throw new Error(`the upload settled early: ${JSON.stringify(run.outcome)}`)
    return run.partsDone >= parts
  }, `${parts} parts of ${id}`)
}

/** @param {() => Promise<boolean>} check @param {string} what */
async function poll(check, what, timeout = 60_000) {
  const deadline = Date.now() + timeout
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** @param {RunSnapshot} run @param {string} key */
function assertSucceeded(run, key) {
  assert.deepEqual(run.outcome && 'error' in run.outcome ? run.outcome.error : undefined, undefined, 'the upload failed')
  assert.equal(run.outcome && 'ok' in run.outcome ? run.outcome.ok.key : undefined, key)
}

/** @param {SpecContext} ctx @param {string} id */
function earlierRun(ctx, id) {
  const run = ctx.finished.get(id)
  if (!run) throw new Error(`the ${id} upload did not run`)
  return run
}

/** @param {SpecContext} ctx @param {string} key */
async function storedSha256(ctx, key) {
  const bytes = await ctx.kodo.objectBytes(key)
  assert.ok(bytes, `no object ${key} on the server`)
  return createHash('sha256').update(bytes).digest('hex')
}

/** @param {SpecContext} ctx @param {string} name */
function uniqueKey(ctx, name) {
  return `engines/${ctx.engine}/${name}-${Date.now()}`
}
