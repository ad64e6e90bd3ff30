// Public API. Everything here is side-effect free: nothing runs on import.
// The only module that wires the browser adapters (src/browser/) into the platform-free core.
import { browserAdapters, browserQueueAdapters } from './browser/defaults.js'
import { contextOf, UploadManagerCore } from './context/manager-core.js'
import { paramsForScope } from './context/object-params.js'
import { BaseUploadManager, type UploadManagerOptions } from './manager/upload-manager.js'
import { findRecord as findRecordIn, type FoundRecord } from './queue/find-record.js'
import type { UploadQueueOptions } from './queue/queue-options.js'
import { UploadQueue } from './queue/upload-queue.js'

export { BaseUploadManager, DEFAULT_UC_ENDPOINTS, type UploadAdapters, type UploadManagerOptions } from './manager/upload-manager.js'
export { UploadManagerCore } from './context/manager-core.js'
export type { WarningCallback } from './warnings.js'
export {
  credentialTokenProvider,
  parseUploadToken,
  signUploadToken,
  type CredentialSignerOptions,
  type ParsedUploadToken,
  type UploadTokenContext,
  type UploadTokenProvider,
} from './tokens/upload-token.js'
export type { ObjectParams } from './context/object-params.js'
export { UploadError, isUploadError, type RetryDecision, type UploadErrorKind } from './errors.js'

export { AutoUploader, type AutoUploaderKinds, type AutoUploaderOptions, type UploadInput } from './auto/auto-uploader.js'
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
export type { MultiPartsUploaderOptions } from './uploaders/multi-parts-uploader.js'
export type { KodoUploadBody, UploadResult } from './uploaders/upload-result.js'
export { planParts, type MultiPartsVersion, type PartsPlan } from './uploaders/part-plan.js'
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
export { FixedConcurrencyProvider, type ConcurrencyFeedback, type ConcurrencyProvider, type LaneTuner, type PartAnswer } from './providers/concurrency-provider.js'
export { ClimbingLaneTuner } from './providers/lane-tuner.js'
export { AdaptiveDataPartitionProvider, type AdaptivePartSizeOptions } from './providers/adaptive-partition-provider.js'
export { AdaptiveConcurrencyProvider, type AdaptiveConcurrencyOptions } from './providers/adaptive-concurrency-provider.js'

export { IndexedDbResumableRecorder, type IndexedDbRecorderOptions } from './browser/indexeddb-recorder.js'
export { MemoryResumableRecorder } from './recorders/memory-recorder.js'
export { DummyResumableRecorder } from './recorders/dummy-recorder.js'
export type { RecordedPart, ResumableRecord, ResumableRecorder } from './recorders/recorder.js'

export { WorkerHasherPool, type WorkerHasherPoolOptions } from './browser/worker-pool.js'
export { MainThreadHasher } from './hashing/main-thread-hasher.js'
export type { Digest, DigestRequest, Hasher, HashingMode } from './hashing/hasher.js'
export type { Md5Engine } from './browser/worker-start.js'

export type { KodoApi, RequestInfo, ResponseInfo } from './http/callbacks.js'
export type { UploadProgress } from './uploaders/progress.js'
export type { FetchLike, TransportOptions } from './http/transport.js'
export { xhrFetch } from './browser/xhr-fetch.js'
export type { Connectivity } from './http/connectivity.js'
export { browserConnectivity } from './browser/connectivity.js'
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
export { indexedDbQueueStore, type IndexedDbQueueStoreOptions } from './browser/indexeddb-queue-store.js'
export { noTabLocks, type TabLocks } from './queue/tab-locks.js'
export { webLocks } from './browser/web-locks.js'
export { noQueueChannel, type QueueChannel, type QueueMessage } from './queue/queue-channel.js'
export { broadcastQueueChannel } from './browser/broadcast-channel.js'

/**
 * The entry point: holds the token, endpoints and shared adapters, and makes uploaders. Adapters not given
 * in `options` are the browser's: XMLHttpRequest, online/offline events, hashing Web Workers, IndexedDB records.
 */
export class UploadManager extends BaseUploadManager {
  constructor(options: UploadManagerOptions) {
    super({ ...options, ...browserAdapters(options) })
  }
}

/**
 * `UploadManager` without the uploader factories, for apps that count their bytes: it makes no uploader,
 * so the app's bundle keeps only the ones it constructs, e.g.
 * `new AutoUploader(manager, { form: FormUploader, multiParts: MultiPartsV2Uploader })` (no V1) or
 * `new ConcurrentMultiPartsUploaderScheduler(new MultiPartsV2Uploader(manager))`. Same options, same browser adapters.
 */
export class LeanUploadManager extends UploadManagerCore {
  constructor(options: UploadManagerOptions) {
    super({ ...options, ...browserAdapters(options) })
  }
}

/**
 * An UploadQueue wired to the browser: the queue kept in IndexedDB (next to the resumable records),
 * Web Locks so one tab at a time sends a file, BroadcastChannel so other tabs see the progress.
 * Where one of these is missing, the queue goes on without it (and says so for Web Locks).
 */
export function createUploadQueue(manager: BaseUploadManager, options: UploadQueueOptions = {}): UploadQueue {
  return new UploadQueue(manager, { ...browserQueueAdapters(contextOf(manager).warn), ...options })
}

/** The resumable record of `file` uploaded to `params.objectName` with this manager, if one is kept: resume it by uploading the same file again. */
export function findRecord(manager: UploadManagerCore, file: { name: string; size: number; type?: string; lastModified: number }, params: { objectName?: string } = {}): Promise<FoundRecord | undefined> {
  const { recorder, bucket, scope } = contextOf(manager)
  return findRecordIn(recorder, bucket, file, paramsForScope(params, scope))
}
