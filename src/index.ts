// Public API. Everything here is side-effect free: nothing runs on import.
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
