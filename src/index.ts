// Public API. Everything here is side-effect free: nothing runs on import.
import { UploadManager } from './manager/upload-manager.js'
import { UploadQueue } from './queue/upload-queue.js'
import type { UploadQueueOptions } from './queue/queue-options.js'
import { findRecord as findRecordIn, type FoundRecord } from './queue/find-record.js'
import { indexedDbQueueStore } from './queue/indexeddb-queue-store.js'
import { noTabLocks, webLocks } from './queue/tab-locks.js'
import { broadcastQueueChannel, noQueueChannel } from './queue/queue-channel.js'

export { UploadManager, DEFAULT_UC_ENDPOINTS, type UploadManagerOptions } from './manager/upload-manager.js'
export {
  credentialTokenProvider,
  parseUploadToken,
  signUploadToken,
  type CredentialSignerOptions,
  type ParsedUploadToken,
  type UploadTokenContext,
  type UploadTokenProvider,
} from './manager/upload-token.js'
export type { ObjectParams } from './manager/object-params.js'
export { UploadError, isUploadError, type RetryDecision, type UploadErrorKind } from './errors.js'

export { AutoUploader, type AutoUploaderOptions, type UploadInput } from './auto/auto-uploader.js'
export {
  AlwaysMultiParts,
  AlwaysSinglePart,
  FixedThresholdResumablePolicy,
  MultiplePartitionsResumablePolicy,
  type ResumablePolicy,
  type ResumablePolicyProvider,
} from './auto/resumable-policy.js'

export { FormUploader, type FormUploaderOptions } from './uploaders/form-uploader.js'
export { MultiPartsV1Uploader, type V1UploadedPart } from './uploaders/v1-uploader.js'
export { MultiPartsV2Uploader, type V2UploadedPart } from './uploaders/v2-uploader.js'
export type { MultiPartsUploaderOptions } from './uploaders/multi-parts-base.js'
export type { InitializedParts, MultiPartsUploader, ReinitializeOptions, UploadedPart } from './uploaders/multi-parts-uploader.js'
export { ConcurrentMultiPartsUploaderScheduler } from './schedulers/concurrent-scheduler.js'
export { SerialMultiPartsUploaderScheduler } from './schedulers/serial-scheduler.js'
export { MultiPartsUploaderScheduler } from './schedulers/scheduler.js'

export { BlobDataSource } from './sources/blob-source.js'
export { StreamDataSource } from './sources/stream-source.js'
export type { DataSource, DataSourcePart, PartSizer, SourceDescription, SourceKeyContext } from './sources/data-source.js'

export {
  FixedDataPartitionProvider,
  LimitedDataPartitionProvider,
  MultiplyDataPartitionProvider,
  type DataPartitionFeedback,
  type DataPartitionProvider,
} from './providers/partition-provider.js'
export { FixedConcurrencyProvider, type ConcurrencyFeedback, type ConcurrencyProvider } from './providers/concurrency-provider.js'

export { IndexedDbResumableRecorder, type IndexedDbRecorderOptions } from './recorders/indexeddb-recorder.js'
export { MemoryResumableRecorder } from './recorders/memory-recorder.js'
export { DummyResumableRecorder } from './recorders/dummy-recorder.js'
export type { RecordedPart, ResumableRecord, ResumableRecorder } from './recorders/recorder.js'

export { WorkerHasherPool, type WorkerHasherPoolOptions } from './hashing/worker-pool.js'
export { MainThreadHasher } from './hashing/main-thread-hasher.js'
export type { Digest, DigestRequest, Hasher, HashingMode } from './hashing/hasher.js'
export type { Md5Engine } from './hashing/worker-start.js'

export type { KodoApi, RequestInfo, ResponseInfo, UploadProgress } from './http/callbacks.js'
export type { FetchLike, TransportOptions } from './http/transport.js'
export { xhrFetch } from './http/xhr-fetch.js'
export type { RetryInfo } from './http/callbacks.js'
export type { LaneGate } from './providers/concurrency-provider.js'

export { UploadQueue } from './queue/upload-queue.js'
export type { QueueEvents, UploadQueueOptions } from './queue/queue-options.js'
export { QueueItem } from './queue/queue-item.js'
export type { ItemProgress, ItemState, ItemStatus, QueueProgress } from './queue/item-status.js'
export { LaneBudget } from './queue/lane-budget.js'
export type { FoundRecord } from './queue/find-record.js'
export type { FileHandleLike, FileIdentity } from './queue/file-identity.js'
export { memoryQueueStore, type ItemPlan, type QueueStore, type StoredItem, type StoredParams } from './queue/queue-store.js'
export { indexedDbQueueStore, type IndexedDbQueueStoreOptions } from './queue/indexeddb-queue-store.js'
export { noTabLocks, webLocks, type TabLocks } from './queue/tab-locks.js'
export { broadcastQueueChannel, noQueueChannel, type QueueChannel, type QueueMessage } from './queue/queue-channel.js'

/**
 * An UploadQueue wired to the browser: the queue kept in IndexedDB (next to the resumable records),
 * Web Locks so one tab at a time sends a file, BroadcastChannel so other tabs see the progress.
 * Where one of these is missing, the queue goes on without it (and says so for Web Locks).
 */
export function createUploadQueue(manager: UploadManager, options: UploadQueueOptions = {}): UploadQueue {
  const locks = globalThis.navigator?.locks
  return new UploadQueue(manager, {
    store: indexedDbQueueStore({ onWarning: manager.context.warn }),
    locks: locks ? webLocks(locks) : noTabLocks,
    channel: typeof BroadcastChannel === 'function' ? broadcastQueueChannel(new BroadcastChannel('qiniu-upload-manager-queue')) : noQueueChannel,
    ...options,
  })
}

/** The resumable record of `file` uploaded to `params.objectName` with this manager, if one is kept: resume it by uploading the same file again. */
export function findRecord(manager: UploadManager, file: { name: string; size: number; type?: string; lastModified: number }, params: { objectName?: string } = {}): Promise<FoundRecord | undefined> {
  return findRecordIn(manager.context.recorder, manager.context.bucket, file, params)
}
