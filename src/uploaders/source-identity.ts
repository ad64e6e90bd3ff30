import type { Digest, DigestRequest } from '../hashing/hasher.js'
import type { ObjectParams } from '../context/object-params.js'
import type { UploaderContext } from '../context/uploader-context.js'
import type { DataSource } from '../sources/data-source.js'

/** A digest of the first part, started before the part is sliced. */
export interface FirstPartDigest {
  size: number
  digest: Promise<Digest>
}

/** A source's record key, and the first part's digest when it could start early. */
export interface SourceIdentity {
  key: string | null
  firstPartDigest?: FirstPartDigest
}

/**
 * What an upload learns about its source before it begins, once per source (tryToResumeParts and
 * initializeParts both ask): its record key, from a small sample of its bytes, so that the record
 * lookup and the first request go out at once; and, beside it, the first part's digest, so that it
 * is ready by the time the first part may go up.
 */
export class SourceIdentities {
  readonly #ctx: UploaderContext
  readonly #version: () => 'v1' | 'v2'
  readonly #digestRequest: () => DigestRequest
  readonly #keys = new WeakMap<DataSource, Map<string, Promise<string | null>>>()
  /** By source, with the size asked for (a short source's part is smaller). */
  readonly #firstParts = new WeakMap<DataSource, FirstPartDigest & { asked: number }>()

  constructor(ctx: UploaderContext, version: () => 'v1' | 'v2', digestRequest: () => DigestRequest) {
    this.#ctx = ctx
    this.#version = version
    this.#digestRequest = digestRequest
  }

  /**
   * The source key; with `firstPartSize`, also starts hashing the first part of that size (sources
   * that can peek at it), or hands out the digest already under way for that size.
   */
  async identify(source: DataSource, params: ObjectParams, firstPartSize?: number): Promise<SourceIdentity> {
    // The key first: where it samples through the hasher (no WebCrypto), its small job goes ahead of the part.
    const key = this.#key(source, params)
    const firstPartDigest = firstPartSize === undefined ? undefined : this.#firstPart(source, firstPartSize, params.signal)
    return { key: await key, firstPartDigest }
  }

  #key(source: DataSource, params: ObjectParams): Promise<string | null> {
    const cacheKey = params.objectName ?? ''
    const cached = this.#keys.get(source)?.get(cacheKey)
    if (cached) return cached
    const { bucket, hasher } = this.#ctx
    const key = source.sourceKey({ bucket, objectName: params.objectName, version: this.#version(), hasher, signal: params.signal })
    key.catch(() => this.#keys.get(source)?.delete(cacheKey)) // an aborted attempt must not stick
    this.#keys.set(source, (this.#keys.get(source) ?? new Map()).set(cacheKey, key))
    return key
  }

  #firstPart(source: DataSource, size: number, signal: AbortSignal | undefined): FirstPartDigest | undefined {
    const running = this.#firstParts.get(source)
    if (running?.asked === size) return running
    const blob = source.peekFirstPart?.(size)
    if (!blob) return undefined
    const started = { asked: size, size: blob.size, digest: this.#ctx.hasher.digest(blob, this.#digestRequest(), signal) }
    started.digest.catch(() => {
      if (this.#firstParts.get(source) === started) this.#firstParts.delete(source) // nor an aborted digest
    })
    this.#firstParts.set(source, started)
    return started
  }
}
