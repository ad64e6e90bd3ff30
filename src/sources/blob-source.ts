import { invalidInput, isUploadError } from '../errors.js'
import type { Hasher } from '../hashing/hasher.js'
import { isBlob } from './source-input.js'
import { sampleDigest } from './source-sample.js'
import type { DataSource, DataSourcePart, PartSizer, SourceDescription, SourceKeyContext } from './data-source.js'

/** Parts of a Blob or File as `Blob.slice` windows: the file is never read whole into memory. */
export class BlobDataSource implements DataSource {
  readonly blob: Blob
  #offset = 0
  #partNumber = 0
  /** The sample the first `sourceKey` took, before any part was read, and how: what `changed()` compares with. */
  #sample: { digest: Promise<string>; hasher: Hasher } | undefined

  constructor(blob: Blob) {
    if (!isBlob(blob)) throw invalidInput('BlobDataSource takes a Blob or File', blob)
    this.blob = blob
  }

  async slice(sizer: PartSizer): Promise<DataSourcePart | null> {
    // Taken synchronously, so overlapping calls from concurrent lanes get consecutive parts.
    if (this.#offset >= this.blob.size) return null
    const partNumber = ++this.#partNumber
    const offset = this.#offset
    const size = Math.min(sizer(offset, partNumber), this.blob.size - offset)
    this.#offset += size
    return { partNumber, offset, size, blob: this.blob.slice(offset, offset + size) }
  }

  async reset(): Promise<void> {
    this.#offset = 0
    this.#partNumber = 0
  }

  totalSize(): number {
    return this.blob.size
  }

  describe(): SourceDescription {
    const file = this.blob as Partial<File>
    return { name: file.name, size: this.blob.size, type: this.blob.type || undefined, lastModified: file.lastModified }
  }

  /** The first `size` bytes, without taking them: the first part's hash starts before the upload begins. */
  peekFirstPart(size: number): Blob {
    return this.blob.slice(0, size)
  }

  /**
   * Name, size, mtime and type identify the file cheaply; the target keeps records apart; a digest of
   * three 64 KiB windows catches a different file with the same name and size. It does not depend on
   * the part size, so a record is found whatever a part-size provider answers now.
   */
  async sourceKey(ctx: SourceKeyContext): Promise<string> {
    const { name = '', lastModified = 0 } = this.blob as Partial<File>
    const sample = await this.#firstSample(ctx.hasher, ctx.signal)
    return [ctx.version, ctx.bucket, ctx.objectName ?? '~', name, this.blob.size, lastModified, this.blob.type, sample].join('|')
  }

  /**
   * Chromium fails reads of a file changed on disk and WebKit stalls them, but Firefox reads the new bytes
   * without an error: only the bytes tell, so the sample windows are read again and compared. An edit
   * outside them goes unseen. A file that cannot be read any more has changed too.
   */
  async changed(signal?: AbortSignal): Promise<boolean> {
    const sample = this.#sample
    const before = await sample?.digest.catch(() => undefined)
    if (!sample || before === undefined) return false
    try {
      return (await sampleDigest(this.blob, sample.hasher, signal)) !== before
    } catch (error) {
      if (isUploadError(error, 'aborted')) throw error
      return true
    }
  }

  #firstSample(hasher: Hasher, signal: AbortSignal | undefined): Promise<string> {
    if (!this.#sample) {
      const sample = { digest: sampleDigest(this.blob, hasher, signal), hasher }
      this.#sample = sample
      // An aborted sample must not stick.
      sample.digest.catch(() => {
        if (this.#sample === sample) this.#sample = undefined
      })
    }
    return this.#sample.digest
  }
}
