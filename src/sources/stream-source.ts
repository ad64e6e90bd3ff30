import { UploadError, abortedError } from '../errors.js'
import type { DataSource, DataSourcePart, PartSizer, SourceDescription } from './data-source.js'

/** Like a request's stall timeout: a stream that gives no data for this long fails the upload. */
const DEFAULT_NO_DATA_TIMEOUT = 30_000

export interface StreamSourceOptions {
  /** Bytes already read from the stream (the auto uploader peeks to choose a policy). */
  prefix?: Uint8Array[]
  name?: string
  type?: string
  /** ms a read may wait for data before the upload fails with kind `timeout` (default 30 000; 0: forever). */
  noDataTimeout?: number
}

/**
 * One read that gives up when `signal` fires (`aborted`) or no data came for `noDataTimeout` ms
 * (`timeout`); giving up or a failing stream (`local-io`) cancels the stream, so its producer stops too.
 */
export function readStream<T>(
  reader: ReadableStreamDefaultReader<T>,
  { signal, noDataTimeout = DEFAULT_NO_DATA_TIMEOUT }: { signal?: AbortSignal; noDataTimeout?: number },
): Promise<ReadableStreamReadResult<T>> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const settle = (error?: UploadError, result?: ReadableStreamReadResult<T>) => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      if (!error) return resolve(result!)
      reader.cancel(error).catch(() => {})
      reject(error)
    }
    const onAbort = () => settle(abortedError(signal))
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
    if (noDataTimeout > 0) {
      timer = setTimeout(() => settle(new UploadError('timeout', `The stream gave no data for ${noDataTimeout} ms.`, { retryDecision: 'dont-retry' })), noDataTimeout)
    }
    reader.read().then(
      (result) => settle(undefined, result),
      (cause: unknown) =>
        settle(new UploadError('local-io', `The stream failed while being read: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })),
    )
  })
}

/**
 * Parts of a ReadableStream, read as they are needed: no size up front, no resume, no restart.
 * Each part is collected into a Blob, since browsers send Blobs much faster than buffers.
 */
export class StreamDataSource implements DataSource {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>
  readonly #description: SourceDescription
  readonly #noDataTimeout: number
  /** Signals already told to cancel the stream when they fire. */
  readonly #watched = new WeakSet<AbortSignal>()
  /** Bytes read from the stream but not yet handed out. */
  #buffered: Uint8Array[] = []
  #bufferedBytes = 0
  #done = false
  #offset = 0
  #partNumber = 0
  /** Parts are read one after the other even when lanes ask at once. */
  #queue: Promise<unknown> = Promise.resolve()

  constructor(stream: ReadableStream<Uint8Array>, options: StreamSourceOptions = {}) {
    this.#reader = stream.getReader()
    for (const chunk of options.prefix ?? []) this.#push(chunk)
    this.#description = { name: options.name, type: options.type }
    this.#noDataTimeout = options.noDataTimeout ?? DEFAULT_NO_DATA_TIMEOUT
  }

  /** `signal`: the upload's; when it fires, a pending read gives up and the stream is cancelled. */
  slice(sizer: PartSizer, signal?: AbortSignal): Promise<DataSourcePart | null> {
    if (signal && !this.#watched.has(signal)) {
      this.#watched.add(signal)
      signal.addEventListener('abort', () => void this.#reader.cancel(signal.reason).catch(() => {}), { once: true })
    }
    const next = this.#queue.then(() => this.#next(sizer, signal))
    this.#queue = next.catch(() => {})
    return next
  }

  async reset(): Promise<void> {
    throw new UploadError('invalid-input', 'A stream cannot be read twice, so this upload cannot restart or move to another region.')
  }

  async sourceKey(): Promise<null> {
    return null
  }

  totalSize(): undefined {
    return undefined
  }

  describe(): SourceDescription {
    return this.#description
  }

  /**
   * Reads until `limit` bytes wait in the buffer or the stream ends. Resolves with the whole stream as
   * one Blob when it ended within them and no part was taken yet (the auto uploader then chooses by its
   * size, and the source is used up), else with undefined.
   */
  readAhead(limit: number, signal?: AbortSignal): Promise<Blob | undefined> {
    const whole = this.#queue.then(async () => {
      await this.#fill(limit, signal)
      return this.#done && this.#offset === 0 ? this.#take(this.#bufferedBytes) : undefined
    })
    this.#queue = whole.catch(() => {})
    return whole
  }

  async #fill(size: number, signal: AbortSignal | undefined): Promise<void> {
    while (this.#bufferedBytes < size && !this.#done) {
      const result = await readStream(this.#reader, { signal, noDataTimeout: this.#noDataTimeout })
      if (result.done) this.#done = true
      else this.#push(result.value)
    }
  }

  async #next(sizer: PartSizer, signal: AbortSignal | undefined): Promise<DataSourcePart | null> {
    const partNumber = this.#partNumber + 1
    const size = sizer(this.#offset, partNumber)
    await this.#fill(size, signal)
    if (this.#bufferedBytes === 0) return null
    const blob = this.#take(Math.min(size, this.#bufferedBytes))
    this.#partNumber = partNumber
    const part = { partNumber, offset: this.#offset, size: blob.size, blob }
    this.#offset += blob.size
    return part
  }

  #push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return
    this.#buffered.push(chunk)
    this.#bufferedBytes += chunk.byteLength
  }

  #take(size: number): Blob {
    const parts: Uint8Array[] = []
    let taken = 0
    while (taken < size) {
      const chunk = this.#buffered[0]!
      const wanted = size - taken
      if (chunk.byteLength <= wanted) {
        parts.push(chunk)
        this.#buffered.shift()
        taken += chunk.byteLength
      } else {
        parts.push(chunk.subarray(0, wanted))
        this.#buffered[0] = chunk.subarray(wanted)
        taken += wanted
      }
    }
    this.#bufferedBytes -= size
    return new Blob(parts as BlobPart[])
  }
}
