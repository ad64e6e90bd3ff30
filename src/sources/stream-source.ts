import { UploadError } from '../errors.js'
import type { DataSource, DataSourcePart, PartSizer, SourceDescription } from './data-source.js'

/**
 * Parts of a ReadableStream, read as they are needed: no size up front, no resume, no restart.
 * Each part is collected into a Blob, since browsers send Blobs much faster than buffers.
 */
export class StreamDataSource implements DataSource {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>
  readonly #description: SourceDescription
  /** Bytes read from the stream but not yet handed out. */
  #buffered: Uint8Array[] = []
  #bufferedBytes = 0
  #done = false
  #offset = 0
  #partNumber = 0
  /** Parts are read one after the other even when lanes ask at once. */
  #queue: Promise<unknown> = Promise.resolve()

  /** `prefix`: bytes already read from the stream (the auto uploader peeks to choose a policy). */
  constructor(stream: ReadableStream<Uint8Array>, options: { prefix?: Uint8Array[]; name?: string; type?: string } = {}) {
    this.#reader = stream.getReader()
    for (const chunk of options.prefix ?? []) this.#push(chunk)
    this.#description = { name: options.name, type: options.type }
  }

  slice(sizer: PartSizer): Promise<DataSourcePart | null> {
    const next = this.#queue.then(() => this.#next(sizer))
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

  async #next(sizer: PartSizer): Promise<DataSourcePart | null> {
    const partNumber = this.#partNumber + 1
    const size = sizer(this.#offset, partNumber)
    while (this.#bufferedBytes < size && !this.#done) {
      let result: ReadableStreamReadResult<Uint8Array>
      try {
        result = await this.#reader.read()
      } catch (cause) {
        throw new UploadError('local-io', `The stream failed while being read: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
      }
      if (result.done) this.#done = true
      else this.#push(result.value)
    }
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
