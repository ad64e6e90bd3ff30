import type { Digest, DigestRequest, Hasher } from '../hashing/hasher.js'
import type { ObjectParams } from '../context/object-params.js'
import type { UploaderContext } from '../context/uploader-context.js'
import { DEFAULT_PART_SIZE } from '../protocol/part-limits.js'
import type { DataSource } from '../sources/data-source.js'

/** A source's record key, and the first part's digest when computing the key hashed it. */
export interface SourceIdentity {
  key: string | null
  firstPartDigest?: { size: number; digest: Promise<Digest> }
}

/**
 * How much of the source its key samples: fixed, not the part size, so that a part-size provider that
 * answers differently on the next attempt (one that learns, one that grows) still finds the record.
 */
const IDENTITY_SAMPLE_SIZE = DEFAULT_PART_SIZE

/** Source keys, computed once per source and key (tryToResumeParts and initializeParts both ask). */
export class SourceIdentities {
  readonly #ctx: UploaderContext
  readonly #version: () => 'v1' | 'v2'
  readonly #digestRequest: () => DigestRequest
  readonly #identities = new WeakMap<DataSource, Map<string, Promise<SourceIdentity>>>()

  constructor(ctx: UploaderContext, version: () => 'v1' | 'v2', digestRequest: () => DigestRequest) {
    this.#ctx = ctx
    this.#version = version
    this.#digestRequest = digestRequest
  }

  /**
   * The source key, and the first part's digest if computing the key hashed it: the digest is
   * widened to what sending the part needs, so the first part is hashed once, not twice.
   */
  identify(source: DataSource, params: ObjectParams): Promise<SourceIdentity> {
    const partSize = IDENTITY_SAMPLE_SIZE
    const cacheKey = params.objectName ?? ''
    const cached = this.#identities.get(source)?.get(cacheKey)
    if (cached) return cached
    const identity = this.#compute(source, params, partSize)
    identity.catch(() => this.#identities.get(source)?.delete(cacheKey)) // an aborted attempt must not stick
    this.#identities.set(source, (this.#identities.get(source) ?? new Map()).set(cacheKey, identity))
    return identity
  }

  async #compute(source: DataSource, params: ObjectParams, partSize: number): Promise<SourceIdentity> {
    let firstPartDigest: SourceIdentity['firstPartDigest']
    const hasher: Hasher = {
      digest: (blob, _request, signal) => {
        const digest = this.#ctx.hasher.digest(blob, this.#digestRequest(), signal)
        firstPartDigest = { size: blob.size, digest }
        return digest
      },
    }
    const key = await source.sourceKey({ bucket: this.#ctx.bucket, objectName: params.objectName, version: this.#version(), partSize, hasher, signal: params.signal })
    return { key, firstPartDigest }
  }
}
