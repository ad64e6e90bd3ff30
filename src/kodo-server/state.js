// @ts-check
import { join } from 'node:path'
import { newAdminSecret } from './admin-access.js'
import { BlobDir } from './blobs.js'
import { BlockRegistry } from './blocks.js'
import { FaultInjector } from './faults.js'
import { RequestLog } from './log.js'
import { ObjectStore } from './store.js'
import { Throttle } from './throttle.js'
import { UploadRegistry } from './uploads.js'

export const DEV_ACCESS_KEY = 'kodo-dev-access-key'
export const DEV_SECRET_KEY = 'kodo-dev-secret-key'
export const DEV_BUCKET = 'dev-bucket'

const CTX_LIFETIME_SECONDS = 7 * 24 * 3600

/**
 * @param {import('./types.js').KodoServerOptions} options
 * @param {string} dataDir
 */
export async function createState(options, dataDir) {
  const blobs = new BlobDir(join(dataDir, 'blobs'))
  // Object metadata lives in memory, so blobs left by an earlier run in the same dataDir are garbage.
  await blobs.wipe()
  return {
    accounts: new Map(Object.entries(options.accounts ?? { [DEV_ACCESS_KEY]: DEV_SECRET_KEY })),
    buckets: new Set(options.buckets ?? [DEV_BUCKET]),
    blobs,
    objects: new ObjectStore(blobs),
    uploads: new UploadRegistry(blobs),
    blocks: new BlockRegistry(blobs, options.ctxLifetimeSeconds ?? CTX_LIFETIME_SECONDS),
    faults: new FaultInjector(),
    log: new RequestLog(),
    throttle: new Throttle(options.throttleBytesPerSec ?? null),
    /** ms added before every non-admin request is handled (`latency` admin call). */
    latencyMs: options.latencyMs ?? 0,
    sink: { bytes: 0, requests: 0 },
    extraRegions: options.extraRegions ?? [],
    /** Required in the X-Kodo-Admin-Secret header of every admin request. */
    adminSecret: options.adminSecret ?? newAdminSecret(),
    /** host:port the server listens on, as clients reach it; set once listening. */
    host: '',
  }
}

/** @typedef {Awaited<ReturnType<typeof createState>>} State */

/**
 * Drops objects, uploads, ctxs, faults, the log and the sink counters.
 * @param {State} state
 */
export async function resetState(state) {
  state.objects.clear()
  state.uploads.clear()
  state.blocks.clear()
  state.faults.clear()
  state.log.clear()
  state.sink = { bytes: 0, requests: 0 }
  await state.blobs.wipe()
}
