import type { DataSource, DataSourcePart, PartSizer, SourceDescription, SourceKeyContext } from './data-source.js'

/** Parts of a Blob or File as `Blob.slice` windows: the file is never read whole into memory. */
export class BlobDataSource implements DataSource {
  readonly blob: Blob
  #offset = 0
  #partNumber = 0

  constructor(blob: Blob) {
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

  /**
   * Name, size, mtime and type identify the file cheaply; the target and part layout keep records
   * apart; the md5 of the first part catches a different file with the same name and size.
   */
  async sourceKey(ctx: SourceKeyContext): Promise<string> {
    const { name = '', lastModified = 0 } = this.blob as Partial<File>
    const firstPart = this.blob.slice(0, Math.min(ctx.partSize, this.blob.size))
    const { md5 } = await ctx.hasher.digest(firstPart, { md5: true }, ctx.signal)
    return [ctx.version, ctx.bucket, ctx.objectName ?? '~', name, this.blob.size, lastModified, this.blob.type, ctx.partSize, md5].join('|')
  }
}
