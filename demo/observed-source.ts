import { BlobDataSource, type DataSource, type DataSourcePart, type PartSizer, type SourceKeyContext } from '../src/index.js'

/**
 * A file's data source that says when the library takes each part. The library hashes a part right
 * after taking it and sends it after that, so "taken, no request yet" is the part's hashing time.
 * A new one is needed per attempt: a data source remembers how far it has read.
 */
export class ObservedSource implements DataSource {
  readonly #inner: BlobDataSource
  readonly #onTaken: (part: DataSourcePart) => void

  constructor(file: File, onTaken: (part: DataSourcePart) => void) {
    this.#inner = new BlobDataSource(file)
    this.#onTaken = onTaken
  }

  async slice(sizer: PartSizer): Promise<DataSourcePart | null> {
    const part = await this.#inner.slice(sizer)
    if (part) this.#onTaken(part)
    return part
  }

  reset(): Promise<void> {
    return this.#inner.reset()
  }

  sourceKey(ctx: SourceKeyContext): Promise<string | null> {
    return this.#inner.sourceKey(ctx)
  }

  totalSize(): number {
    return this.#inner.totalSize()
  }

  describe() {
    return this.#inner.describe()
  }
}
