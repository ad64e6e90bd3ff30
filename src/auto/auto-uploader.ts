import { invalidInput, UploadError } from '../errors.js'
import { checkObjectParams, type ObjectParams } from '../context/object-params.js'
import type { UploadManagerCore } from '../context/manager-core.js'
import { AdaptiveConcurrencyProvider } from '../providers/adaptive-concurrency-provider.js'
import { toConcurrencyProvider, type ConcurrencyProvider } from '../providers/concurrency-provider.js'
import { toPartitionProvider, type DataPartitionProvider } from '../providers/partition-provider.js'
import { ConcurrentMultiPartsUploaderScheduler } from '../schedulers/concurrent-scheduler.js'
import type { MultiPartsUploaderScheduler } from '../schedulers/scheduler.js'
import { SerialMultiPartsUploaderScheduler } from '../schedulers/serial-scheduler.js'
import { BlobDataSource } from '../sources/blob-source.js'
import type { DataSource } from '../sources/data-source.js'
import { isBlob, isDataSource } from '../sources/source-input.js'
import type { StreamDataSource } from '../sources/stream-source.js'
import type { MultiPartsUploaderBase } from '../uploaders/multi-parts-base.js'
import type { MultiPartsUploaderOptions, UploadedPart } from '../uploaders/multi-parts-uploader.js'
import type { FormUploader, FormUploaderOptions } from '../uploaders/form-uploader.js'
import type { KodoUploadBody, UploadResult } from '../uploaders/upload-result.js'
import { UploaderCallbacks } from '../uploaders/uploader-callbacks.js'
import { FixedThresholdResumablePolicy, type ResumablePolicyProvider } from './resumable-policy.js'
import { anySignal } from '../utils/any-signal.js'

export interface AutoUploaderOptions extends MultiPartsUploaderOptions {
  /** Form upload or multi-part (default: multi-part above 4 MiB). */
  policy?: ResumablePolicyProvider
  /** Default 'v2' (for `manager.autoUploader()`; a constructed AutoUploader uses the `multiParts` it is given). */
  multiPartsVersion?: 'v1' | 'v2'
  /** Default 'concurrent'. */
  scheduler?: 'serial' | 'concurrent'
  /** Parts at once: a number is that many, always (default: `AdaptiveConcurrencyProvider`, 4 lanes that grow to 6 while latency is the limit). */
  concurrency?: number | ConcurrencyProvider
  /** Part size in bytes (default 4 MiB; V1 always uses 4 MiB). */
  partSize?: number | DataPartitionProvider
}

/**
 * The uploaders an AutoUploader chooses from. `manager.autoUploader()` gives them all; an app that
 * constructs the AutoUploader itself names the ones it uses, and its bundle keeps only those:
 * `new AutoUploader(manager, { form: FormUploader, multiParts: MultiPartsV2Uploader })`.
 */
export interface AutoUploaderKinds {
  /** For sources the policy sends in one request: `FormUploader`. */
  form: new (manager: UploadManagerCore, options?: FormUploaderOptions) => FormUploader
  /** For the others: `MultiPartsV2Uploader` or `MultiPartsV1Uploader`. */
  multiParts: new (manager: UploadManagerCore, options?: MultiPartsUploaderOptions) => MultiPartsUploaderBase<UploadedPart>
  /** For `ReadableStream` inputs: `StreamDataSource` (without it, a stream fails with kind `invalid-input`). */
  streams?: typeof StreamDataSource
}

export type UploadInput = Blob | ReadableStream<Uint8Array> | DataSource

/** The everyday uploader: picks form or multi-part upload, wires scheduler, providers and recorder. */
export class AutoUploader extends UploaderCallbacks {
  readonly #manager: UploadManagerCore
  readonly #options: AutoUploaderOptions & AutoUploaderKinds
  readonly #policy: ResumablePolicyProvider
  readonly #concurrency: ConcurrencyProvider
  readonly #partitioner: DataPartitionProvider
  /** Uploads in progress, so `cancel` can stop the one it forgets. */
  readonly #running = new Map<UploadInput, AbortController>()

  constructor(manager: UploadManagerCore, options: AutoUploaderOptions & AutoUploaderKinds) {
    super()
    checkChoice('multiPartsVersion', options.multiPartsVersion, ['v1', 'v2'])
    checkChoice('scheduler', options.scheduler, ['serial', 'concurrent'])
    if (options.policy !== undefined && typeof options.policy?.policyForSize !== 'function') {
      throw invalidInput('`policy` is a ResumablePolicyProvider', options.policy)
    }
    this.#manager = manager
    this.#options = options
    this.#policy = options.policy ?? new FixedThresholdResumablePolicy()
    this.#concurrency = toConcurrencyProvider(options.concurrency ?? new AdaptiveConcurrencyProvider())
    this.#partitioner = toPartitionProvider(options.partSize)
  }

  /** Uploads and resolves with the server's JSON (`{hash, key, ...}`). Aborting keeps the record: it is a pause. */
  async upload<B extends object = KodoUploadBody>(input: UploadInput, params: ObjectParams = {}): Promise<UploadResult<B>> {
    checkObjectParams(params)
    const controller = new AbortController()
    const signal = params.signal ? anySignal([params.signal, controller.signal]) : controller.signal
    this.#running.set(input, controller)
    try {
      return (await this.#upload(input, { ...params, signal })) as UploadResult<B>
    } finally {
      if (this.#running.get(input) === controller) this.#running.delete(input)
    }
  }

  /**
   * Stops the upload of `input` if it runs, aborts it on the server (V2) and forgets its record; the
   * record is forgotten even when the server cannot be reached (told through `onWarning`).
   */
  async cancel(input: UploadInput, params: ObjectParams = {}): Promise<void> {
    this.#running.get(input)?.abort(new UploadError('aborted', 'The upload was cancelled.'))
    const source = toDataSource(input, 'AutoUploader.cancel()')
    if (!source) return
    await this.#multiPartsUploader().cancelRecorded(source, params, this.#partitioner)
  }

  async #upload(input: UploadInput, params: ObjectParams): Promise<UploadResult> {
    if (input instanceof ReadableStream) return this.#uploadStream(input, params)
    const source = toDataSource(input, 'AutoUploader.upload()')!
    const size = source.totalSize()
    if (size !== undefined && this.#policy.policyForSize(size) === 'single-part' && isBlob(input)) {
      return this.#formUpload(input, params)
    }
    return this.#scheduler().upload(source, params)
  }

  /** Reads just enough of the stream to choose; what was read ahead goes first. */
  async #uploadStream(stream: ReadableStream<Uint8Array>, params: ObjectParams): Promise<UploadResult> {
    const Streams = this.#options.streams
    if (!Streams) throw new UploadError('invalid-input', 'This AutoUploader takes no streams: construct it with `streams: StreamDataSource`.')
    const source = new Streams(stream, { name: params.fileName, type: params.contentType })
    const whole = await source.readAhead(this.#policy.peekBytes(), params.signal)
    if (whole && this.#policy.policyForSize(whole.size) === 'single-part') return this.#formUpload(whole, params)
    return this.#scheduler().upload(source, params)
  }

  #formUpload(file: Blob, params: ObjectParams): Promise<UploadResult> {
    const uploader = new this.#options.form(this.#manager, { checkObjectHash: this.#options.checkObjectHash })
    uploader.adopt(this)
    return uploader.upload(file, params)
  }

  #multiPartsUploader(): MultiPartsUploaderBase<UploadedPart> {
    const { recorder, verifyResumedParts, checkObjectHash } = this.#options
    return new this.#options.multiParts(this.#manager, { recorder, verifyResumedParts, checkObjectHash })
  }

  #scheduler(): MultiPartsUploaderScheduler {
    const uploader = this.#multiPartsUploader()
    uploader.adopt(this)
    const scheduler =
      this.#options.scheduler === 'serial' ? new SerialMultiPartsUploaderScheduler(uploader) : new ConcurrentMultiPartsUploaderScheduler(uploader)
    return scheduler.setConcurrencyProvider(this.#concurrency).setDataPartitionProvider(this.#partitioner)
  }
}

function checkChoice(option: string, value: unknown, choices: string[]): void {
  if (value !== undefined && !choices.includes(value as string)) throw invalidInput(`\`${option}\` is ${choices.map((choice) => `'${choice}'`).join(' or ')}`, value)
}

/** The input as a data source (undefined for a stream), or `invalid-input` for anything else. */
function toDataSource(input: UploadInput, where: string): DataSource | undefined {
  if (isBlob(input)) return new BlobDataSource(input)
  if (input instanceof ReadableStream) return undefined
  if (!isDataSource(input)) throw invalidInput(`${where} takes a File or Blob, a ReadableStream or a DataSource`, input)
  return input
}
