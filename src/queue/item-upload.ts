import type { AutoUploaderOptions } from '../auto/auto-uploader.js'
import { FixedThresholdResumablePolicy } from '../auto/resumable-policy.js'
import type { BaseUploadManager } from '../manager/upload-manager.js'
import { toConcurrencyProvider, type ConcurrencyProvider, type LaneGate, type LaneTuner } from '../providers/concurrency-provider.js'
import type { UploadResult } from '../uploaders/upload-result.js'
import type { ItemStatus } from './item-status.js'
import type { QueueItem } from './queue-item.js'

export interface ItemUploadContext {
  manager: BaseUploadManager
  options: AutoUploaderOptions
  /** The lanes this item takes from the queue's budget. */
  gate: LaneGate
  /** Parts at once for this item at most (the budget may give fewer). */
  lanes: number
  /** Bytes the record says the server holds, shown while the upload resumes. */
  recordedBytes: number
  signal: AbortSignal
  setStatus(status: ItemStatus): void
  progressed(): void
  part(partNumber: number, state: 'uploading' | 'done' | 'resumed'): void
  now(): number
}

/**
 * Uploads one item with its own AutoUploader whose parts take lanes from the queue's budget, and
 * turns the uploader's callbacks into the item's status and progress.
 */
export async function uploadItem(item: QueueItem, ctx: ItemUploadContext): Promise<UploadResult> {
  const file = item.blob!
  const uploader = ctx.manager.autoUploader({ ...ctx.options, concurrency: sharedConcurrency(ctx.options.concurrency, ctx.lanes, ctx.gate) })
  let status: ItemStatus = ctx.recordedBytes > 0 ? { state: 'resuming', bytesOnServer: ctx.recordedBytes } : { state: 'uploading' }
  let bytesOnServer = 0
  const set = (next: ItemStatus) => {
    status = next
    ctx.setStatus(next)
  }
  const backToWork = () => {
    if (status.state !== 'uploading' && status.state !== 'resuming') set({ state: 'uploading' })
  }
  item.startAttempt()
  set(status)
  uploader
    .onUploadProgress(({ transferredBytes, estimatedBytes }) => {
      item.attemptProgress(transferredBytes, ctx.now(), estimatedBytes)
      if (status.state === 'retrying' || status.state === 'waiting-for-network' || status.state === 'stalled' || status.state === 'restarting') backToWork()
      ctx.progressed()
    })
    .onBeforeRequest(({ partNumber }) => {
      if (partNumber !== undefined) ctx.part(partNumber, 'uploading')
    })
    .onPartUploaded((part) => {
      ctx.part(part.partNumber, part.resumed ? 'resumed' : 'done')
      item.partKept(part.partNumber, part.size, part.resumed)
      if (part.resumed) {
        bytesOnServer += part.size
        set({ state: 'resuming', bytesOnServer })
      } else backToWork()
      ctx.progressed()
    })
    .onRetry((retry) => set({ state: retry.waitingForNetwork ? 'waiting-for-network' : 'retrying', retry }))
    .onResponseOk(({ api }) => {
      if (status.state === 'retrying' || status.state === 'waiting-for-network') backToWork()
      if (api === 'initParts' && status.state === 'resuming') set({ state: 'uploading' })
    })
    .onStartOver((error) => {
      item.restartFromZero()
      set({ state: 'restarting', error })
      ctx.progressed()
    })
  const params = { ...item.params, signal: ctx.signal }
  const policy = ctx.options.policy ?? new FixedThresholdResumablePolicy()
  if (policy.policyForSize(file.size) === 'multi-parts') return uploader.upload(file, params)
  // A form upload is one request carrying the whole file: it takes one lane for its whole life.
  await ctx.gate.acquire(ctx.signal)
  try {
    return await uploader.upload(file, params)
  } finally {
    ctx.gate.release()
  }
}

/**
 * The app's concurrency (capped by the budget), whose parts also take lanes from the shared gate. A
 * provider whose lanes move within an upload (`tuner`) keeps moving them, up to the cap.
 */
function sharedConcurrency(concurrency: AutoUploaderOptions['concurrency'], lanes: number, gate: LaneGate): ConcurrencyProvider {
  const own = toConcurrencyProvider(concurrency ?? lanes)
  const tuner = own.tuner?.bind(own)
  return {
    concurrency: () => Math.min(own.concurrency(), lanes),
    feedback: (feedback) => own.feedback(feedback),
    tuner: tuner && ((start) => cappedTuner(tuner(start), lanes)),
    sharedLanes: gate,
  }
}

function cappedTuner(tuner: LaneTuner, cap: number): LaneTuner {
  return { max: Math.min(tuner.max, cap), answered: (answer) => Math.min(tuner.answered(answer), cap) }
}
