import { UploadError, isUploadError } from '../errors.js'
import type { RetryInfo } from '../http/callbacks.js'
import type { UploadResult } from '../uploaders/upload-result.js'

/**
 * Where a queued file stands. Running states: `checking` (the file is compared with what was
 * stored), `uploading`, `resuming` (parts already on the server are reused), `retrying`,
 * `waiting-for-network`, `stalled` (no byte moved for a while), `restarting` (the server forgot
 * the upload: it starts again from the first byte). Waiting states: `queued`, `paused`,
 * `busy-elsewhere` (another tab uploads this file), `needs-permission` (a stored file handle needs
 * one `requestPermission()`), `needs-file` (after a reload without a handle: add the same file again).
 * Final states: `done`, `failed`, `cancelled`.
 */
export type ItemState =
  | 'queued'
  | 'checking'
  | 'uploading'
  | 'resuming'
  | 'retrying'
  | 'waiting-for-network'
  | 'stalled'
  | 'restarting'
  | 'paused'
  | 'busy-elsewhere'
  | 'needs-permission'
  | 'needs-file'
  | 'done'
  | 'failed'
  | 'cancelled'

export interface ItemStatus {
  state: ItemState
  /** `retrying`, `waiting-for-network`: which request, why, attempt n of m, the wait. */
  retry?: RetryInfo
  /** `resuming`: bytes the server already holds (from the record, then from the server's list). */
  bytesOnServer?: number
  /** `failed`: why; `restarting`: what the server said; `needs-file`: why the file offered was refused. */
  error?: UploadError
  /** `done`: the server's answer (`{ key, hash }` unless the upload policy has a `returnBody`). */
  result?: UploadResult
}

export interface ItemProgress {
  /** Never goes back while the upload lives (pausing keeps it); only a restart from 0 lowers it. */
  transferredBytes: number
  /** Bytes of finished parts: kept on the server through a pause, a reload or a restart of the browser. */
  keptBytes: number
  totalBytes: number
  /** Bytes sent per second over the last seconds; undefined right after a start (no guess yet). */
  bytesPerSecond?: number
  /** How many of `transferredBytes` are an estimate (see `UploadProgress.estimatedBytes`); absent when none are. */
  estimatedBytes?: number
}

/** The sum over a queue's items. */
export interface QueueProgress {
  transferredBytes: number
  keptBytes: number
  totalBytes: number
  bytesPerSecond?: number
  estimatedBytes?: number
}

export const RUNNING_STATES: readonly ItemState[] = ['checking', 'uploading', 'resuming', 'retrying', 'waiting-for-network', 'stalled', 'restarting']
export const FINAL_STATES: readonly ItemState[] = ['done', 'failed', 'cancelled']

export function sumProgress(items: ItemProgress[]): QueueProgress {
  const total: QueueProgress = { transferredBytes: 0, keptBytes: 0, totalBytes: 0 }
  for (const progress of items) {
    total.transferredBytes += progress.transferredBytes
    total.keptBytes += progress.keptBytes
    total.totalBytes += progress.totalBytes
    if (progress.bytesPerSecond !== undefined) total.bytesPerSecond = (total.bytesPerSecond ?? 0) + progress.bytesPerSecond
    if (progress.estimatedBytes !== undefined) total.estimatedBytes = (total.estimatedBytes ?? 0) + progress.estimatedBytes
  }
  return total
}

/** A failure as the item shows it: always an UploadError. */
export function asUploadError(error: unknown): UploadError {
  if (isUploadError(error)) return error
  return new UploadError('local-io', `The file could not be uploaded: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
}
