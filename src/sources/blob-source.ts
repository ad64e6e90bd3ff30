import { invalidInput } from '../errors.js'
import { isBlob } from './source-input.js'
import { sampleDigest } from './source-sample.js'
import type { DataSource, DataSourcePart, PartSizer, SourceDescription, SourceKeyContext } from './data-source.js'

/** Parts of a Blob or File as `Blob.slice` windows: the file is never read whole into memory. */
export class BlobDataSource implements DataSource {
  readonly blob: Blob
  #offset = 0
  #partNumber = 0

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
    const sample = await sampleDigest(this.blob, ctx.hasher, ctx.signal)
    return [ctx.version, ctx.bucket, ctx.objectName ?? '~', name, this.blob.size, lastModified, this.blob.type, sample].join('|')
  }
}
