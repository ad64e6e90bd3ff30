// A V2 multi-part upload driven end to end over the fake transport: the manager, the uploader and the
// scheduler are the real ones; only the network, the hashing and the record store are fakes.
import {
  BlobDataSource,
  ConcurrentMultiPartsUploaderScheduler,
  FixedDataPartitionProvider,
  MemoryResumableRecorder,
  SerialMultiPartsUploaderScheduler,
  UploadManager,
  type ConcurrencyProvider,
  type DataPartitionProvider,
  type DataSource,
  type ObjectParams,
  type UploadError,
  type UploadManagerOptions,
} from '../../src/index.js'
import { FakeHasher, type FakeTransport, fakeToken, online } from './fakes.js'

export const MiB = 1024 * 1024
export const UC = 'http://uc.test'

/** A manager over `transport`: region query on {@link UC}, 1 ms backoff, fake hasher, records in memory. */
export function fakeManager(transport: FakeTransport, options: Partial<UploadManagerOptions> = {}): UploadManager {
  return new UploadManager({
    uploadToken: fakeToken(),
    ucEndpoints: [UC],
    fetch: transport.fetch,
    hasher: new FakeHasher(),
    recorder: new MemoryResumableRecorder(),
    connectivity: online,
    backoffBase: 1,
    stallTimeout: 0,
    onWarning: () => {},
    ...options,
  })
}

/** Uploads `source` (or `size` zero bytes) by V2 parts through the concurrent scheduler (or the serial one). */
export function uploadV2(
  manager: UploadManager,
  source: DataSource | number,
  options: {
    partitioner?: DataPartitionProvider
    concurrency?: ConcurrencyProvider
    serial?: boolean
    params?: ObjectParams
    onStartOver?: (reason: UploadError) => void
  } = {},
): Promise<unknown> {
  // The fake hasher's digests are not real, so the local object-hash check is off.
  const uploader = manager.multiPartsUploader({ version: 'v2', checkObjectHash: false })
  if (options.onStartOver) uploader.onStartOver(options.onStartOver)
  const scheduler = new (options.serial ? SerialMultiPartsUploaderScheduler : ConcurrentMultiPartsUploaderScheduler)(uploader).setDataPartitionProvider(
    options.partitioner ?? new FixedDataPartitionProvider(4 * MiB),
  )
  if (options.concurrency) scheduler.setConcurrencyProvider(options.concurrency)
  const data = typeof source === 'number' ? new BlobDataSource(new Blob([new Uint8Array(source)])) : source
  return scheduler.upload(data, { objectName: 'fake.bin', ...options.params })
}

/** The part sizes the fake transport received, in part order. */
export function sentPartSizes(transport: FakeTransport): number[] {
  return transport
    .sent('uploadPart')
    .map((request) => ({ partNumber: Number(request.path.split('/').pop()), size: request.bodySize }))
    .sort((a, b) => a.partNumber - b.partNumber)
    .map((part) => part.size)
}
