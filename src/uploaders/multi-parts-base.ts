import type { Endpoints } from '../http/endpoints.js'
import type { Digest, Hasher } from '../hashing/hasher.js'
import { progressEmitter } from '../http/callbacks.js'
import { checkObjectName, type ObjectParams } from '../manager/object-params.js'
import type { UploaderContext } from '../manager/upload-manager.js'
import { regionsForUpload } from '../manager/region-resolver.js'
import type { UploadTarget } from '../protocol/target.js'
import type { DataPartitionProvider } from '../providers/partition-provider.js'
import { RecordWriter } from '../recorders/record-writer.js'
import { isExpired, type RecordedPart, type ResumableRecord, type ResumableRecorder } from '../recorders/recorder.js'
import type { DataSource, DataSourcePart } from '../sources/data-source.js'
import { MAX_PARTS, MiB } from '../utils/sizes.js'
import type { MultiPartsUploader, ReinitializeOptions, UploadedPart } from './multi-parts-uploader.js'
import { checkObjectHash } from './object-hash.js'
import { PartsState, type TakenPart } from './parts-state.js'
import { ProgressTracker } from './progress.js'
import { UploaderCallbacks } from './uploader-callbacks.js'

interface SourceIdentity {
  key: string | null
  firstPartDigest?: { size: number; digest: Promise<Digest> }
}

export interface MultiPartsUploaderOptions {
  /** Re-hash each recorded part before trusting it on resume (default true). */
  verifyResumedParts?: boolean
  /** Compute the object's Kodo hash locally and compare it with the server's (default true). */
  checkObjectHash?: boolean
}

/**
 * What V1 and V2 share: record keys and lookups, part sizing, progress, resumed-part checks,
 * the object-hash check and the callbacks. Subclasses speak their protocol.
 */
export abstract class MultiPartsUploaderBase<P extends UploadedPart>
  extends UploaderCallbacks
  implements MultiPartsUploader<PartsState, P>
{
  abstract readonly version: 'v1' | 'v2'
  protected readonly ctx: UploaderContext
  protected readonly recorder: ResumableRecorder
  protected readonly verifyResumedParts: boolean
  protected readonly checkObjectHash: boolean
  readonly #identities = new WeakMap<DataSource, Map<string, Promise<SourceIdentity>>>()

  constructor(ctx: UploaderContext, recorder: ResumableRecorder, options: MultiPartsUploaderOptions = {}) {
    super()
    this.ctx = ctx
    this.recorder = recorder
    this.verifyResumedParts = options.verifyResumedParts ?? true
    this.checkObjectHash = options.checkObjectHash ?? true
  }

  /** The part size this protocol would use for `requested` (V1: always 4 MiB; V2: 1 MiB .. 1 GiB). */
  protected abstract normalizePartSize(requested: number): number
  /** Starts the upload on the server (V2 initParts); fills in the record's protocol fields. */
  protected abstract begin(state: PartsState): Promise<void>
  /** Makes the recorded parts usable (V2 asks the server which it holds); false: start afresh. */
  protected abstract adoptRecord(state: PartsState, record: ResumableRecord): Promise<boolean>
  /** Sends one part and returns it; the base class handles progress, record and callbacks. */
  protected abstract sendPart(state: PartsState, part: DataSourcePart, digest: Digest): Promise<{ uploaded: P; recorded: RecordedPart }>
  /** The uploaded part as a record remembered it. */
  protected abstract resumedPart(recorded: RecordedPart): P
  protected abstract finish(state: PartsState, parts: P[]): Promise<unknown>
  abstract abortParts(state: PartsState): Promise<void>

  async initializeParts(source: DataSource, params: ObjectParams, partitioner?: DataPartitionProvider): Promise<PartsState> {
    checkObjectName(params.objectName)
    const partSize = this.#initialPartSize(source, partitioner)
    const identity = await this.#identify(source, params, partSize)
    const state = this.#newState(source, params, identity, await this.firstRegion(params), partSize)
    await this.begin(state)
    state.writer?.write(state.record)
    return state
  }

  async tryToResumeParts(source: DataSource, params: ObjectParams, partitioner?: DataPartitionProvider): Promise<PartsState | null> {
    checkObjectName(params.objectName)
    const identity = await this.#identify(source, params, this.#initialPartSize(source, partitioner))
    if (identity.key === null) return null
    const record = await this.#readRecord(identity.key)
    if (!record || !this.#matches(record, params)) return null
    const upEndpoints: Endpoints = { preferred: record.upEndpoints, alternative: [] }
    const state = this.#newState(source, params, identity, upEndpoints, record.partSize, record)
    if (!(await this.adoptRecord(state, record))) {
      await state.writer?.delete()
      return null
    }
    state.record = { ...record, parts: [...state.resumable.values()] }
    return state
  }

  async uploadPart(state: PartsState, partitioner: DataPartitionProvider): Promise<P | null> {
    // Each call also takes the part after next, so its hash is ready by the time a lane wants it.
    const next = state.ahead.shift() ?? this.#take(state, partitioner)
    const ahead = this.#take(state, partitioner)
    ahead.catch(() => {}) // a failing source rejects it too; the lane that takes it (if any) sees that
    state.ahead.push(ahead)
    const taken = await next
    if (!taken) return null
    if (taken.recorded) return this.#resume(state, taken.part, taken.recorded, partitioner)
    return this.#upload(state, taken.part, partitioner, taken.digest)
  }

  /** Slices the next part and starts hashing it at once, unless a record may stand for it. */
  async #take(state: PartsState, partitioner: DataPartitionProvider): Promise<TakenPart | null> {
    const total = state.source.totalSize()
    const part = await state.source.slice((offset, partNumber) => {
      const recorded = state.resumable.get(offset)
      if (recorded?.partNumber === partNumber) return recorded.size
      return this.#partSizeAt(partitioner, total, offset, partNumber)
    }, state.signal)
    if (!part) return null
    const recorded = state.takeResumable(part.offset, part.size, part.partNumber)
    if (recorded) return { part, recorded }
    const reused = part.offset === 0 && state.firstPartDigest?.size === part.size ? state.firstPartDigest.digest : undefined
    const digest = reused ?? this.ctx.hasher.digest(part.blob, this.digestRequest(), state.signal)
    digest.catch(() => {}) // awaited by the lane that uploads the part; an abort before then is not an error
    return { part, digest }
  }

  async completeParts(state: PartsState, parts: P[]): Promise<unknown> {
    const replaced = new Map<number, P>()
    for (const part of await Promise.all(state.checks)) if (part) replaced.set(part.partNumber, part as P)
    const final = parts.map((part) => replaced.get(part.partNumber) ?? part).sort((a, b) => a.partNumber - b.partNumber)
    const result = await this.finish(state, final)
    if (this.checkObjectHash) {
      await checkObjectHash(result, final.map((part) => state.blockDigests.get(part.partNumber)), final.map((part) => part.size))
    }
    await state.writer?.delete()
    return result
  }

  async reinitializeParts(state: PartsState, options: ReinitializeOptions = {}): Promise<void> {
    await state.source.reset()
    await state.writer?.delete()
    if (options.upEndpoints) state.upEndpoints = options.upEndpoints
    state.record = this.#emptyRecord(state.source, state.params, state.upEndpoints, state.partSize)
    state.resumable.clear()
    state.ahead.length = 0
    state.resumedAny = false
    state.blockDigests.clear()
    state.checks.length = 0
    state.progress.reset()
    await this.begin(state)
    state.writer?.write(state.record)
  }

  protected async firstRegion(params: ObjectParams): Promise<Endpoints> {
    const regions = await this.regionsFor(params)
    return regions[0]!
  }

  /** Every region the upload may use, its own first (the scheduler fails over along them). */
  regionsFor(params: ObjectParams): Promise<Endpoints[]> {
    return regionsForUpload(this.ctx, params, this.request)
  }

  protected target(state: PartsState): UploadTarget {
    return {
      http: this.ctx.http,
      tokens: this.ctx.tokens,
      bucket: this.ctx.bucket,
      objectName: state.params.objectName,
      endpoints: state.upEndpoints,
      signal: state.signal,
      callbacks: this.request,
      onRetry: state.onRetry,
    }
  }

  protected digestRequest(): { md5: true; sha1Blocks: boolean } {
    return { md5: true, sha1Blocks: this.checkObjectHash }
  }

  #newState(
    source: DataSource,
    params: ObjectParams,
    identity: SourceIdentity,
    upEndpoints: Endpoints,
    partSize: number,
    record?: ResumableRecord,
  ): PartsState {
    const state = new PartsState({
      source,
      params,
      upEndpoints,
      partSize,
      progress: new ProgressTracker(source.totalSize(), progressEmitter(this.uploadProgress)),
      record: record ?? this.#emptyRecord(source, params, upEndpoints, partSize),
      writer: identity.key === null ? undefined : new RecordWriter(this.recorder, identity.key, this.ctx.warn),
    })
    state.firstPartDigest = identity.firstPartDigest
    return state
  }

  #emptyRecord(source: DataSource, params: ObjectParams, upEndpoints: Endpoints, partSize: number): ResumableRecord {
    return {
      format: 1,
      version: this.version,
      bucket: this.ctx.bucket,
      objectName: params.objectName ?? null,
      upEndpoints: upEndpoints.preferred,
      partSize,
      expireAt: Math.floor(Date.now() / 1000) + 7 * 24 * 3600,
      source: source.describe(),
      updatedAt: Date.now(),
      parts: [],
    }
  }

  /**
   * The source key, and the first part's digest if computing the key hashed it: the digest is
   * widened to what sending the part needs, so the first part is hashed once, not twice.
   */
  #identify(source: DataSource, params: ObjectParams, partSize: number): Promise<SourceIdentity> {
    // tryToResumeParts and then initializeParts ask for the same identity: compute it once.
    const cacheKey = `${partSize}\n${params.objectName ?? ''}`
    const cached = this.#identities.get(source)?.get(cacheKey)
    if (cached) return cached
    const identity = this.#computeIdentity(source, params, partSize)
    identity.catch(() => this.#identities.get(source)?.delete(cacheKey)) // an aborted attempt must not stick
    this.#identities.set(source, (this.#identities.get(source) ?? new Map()).set(cacheKey, identity))
    return identity
  }

  async #computeIdentity(source: DataSource, params: ObjectParams, partSize: number): Promise<SourceIdentity> {
    let firstPartDigest: SourceIdentity['firstPartDigest']
    const hasher: Hasher = {
      digest: (blob, _request, signal) => {
        const digest = this.ctx.hasher.digest(blob, this.digestRequest(), signal)
        firstPartDigest = { size: blob.size, digest }
        return digest
      },
    }
    const key = await source.sourceKey({ bucket: this.ctx.bucket, objectName: params.objectName, version: this.version, partSize, hasher, signal: params.signal })
    return { key, firstPartDigest }
  }

  async #readRecord(key: string): Promise<ResumableRecord | undefined> {
    try {
      return await this.recorder.get(key)
    } catch (cause) {
      this.ctx.warn('The resumable record could not be read; the upload starts from the beginning.', cause)
      return undefined
    }
  }

  #matches(record: ResumableRecord, params: ObjectParams): boolean {
    return (
      record.format === 1 &&
      record.version === this.version &&
      record.bucket === this.ctx.bucket &&
      record.objectName === (params.objectName ?? null) &&
      record.upEndpoints.length > 0 &&
      !isExpired(record)
    )
  }

  #initialPartSize(source: DataSource, partitioner: DataPartitionProvider | undefined): number {
    return this.#partSizeAt(partitioner, source.totalSize(), 0, 1)
  }

  /** The provider's size, normalized for the protocol, and grown when the parts left would not fit in 10 000. */
  #partSizeAt(partitioner: DataPartitionProvider | undefined, total: number | undefined, offset: number, partNumber: number): number {
    const size = this.normalizePartSize(partitioner?.partSize() ?? 4 * MiB)
    if (total === undefined) return size
    const partsLeft = MAX_PARTS - partNumber + 1
    const needed = Math.ceil((total - offset) / partsLeft / MiB) * MiB
    return this.normalizePartSize(Math.max(size, needed))
  }

  async #resume(state: PartsState, part: DataSourcePart, recorded: RecordedPart, partitioner: DataPartitionProvider): Promise<P> {
    state.resumedAny = true
    state.progress.complete(part.partNumber, part.size)
    const uploaded = this.resumedPart(recorded)
    if (this.verifyResumedParts || this.checkObjectHash) {
      state.checks.push(this.#verify(state, part, recorded, partitioner))
    }
    await this.partUploaded.emit(uploaded)
    return uploaded
  }

  /** Re-hashes a resumed part beside the upload; a part whose bytes changed is sent again. */
  async #verify(state: PartsState, part: DataSourcePart, recorded: RecordedPart, partitioner: DataPartitionProvider): Promise<P | undefined> {
    const digest = await this.ctx.hasher.digest(part.blob, this.digestRequest(), state.signal)
    if (digest.sha1Blocks) state.blockDigests.set(part.partNumber, digest.sha1Blocks)
    // A part known only from the server's list has no md5 to compare; the object hash covers it.
    if (!this.verifyResumedParts || !recorded.md5 || digest.md5 === recorded.md5) return undefined
    state.progress.revoke(part.size)
    return this.#upload(state, part, partitioner, Promise.resolve(digest))
  }

  async #upload(state: PartsState, part: DataSourcePart, partitioner: DataPartitionProvider, hashing: Promise<Digest>): Promise<P> {
    const started = performance.now()
    try {
      const digest = await hashing
      if (digest.sha1Blocks) state.blockDigests.set(part.partNumber, digest.sha1Blocks)
      const { uploaded, recorded } = await this.sendPart(state, part, digest)
      state.rememberPart(recorded)
      state.progress.complete(part.partNumber, part.size)
      partitioner.feedback({ partSize: part.size, elapsed: performance.now() - started })
      await this.partUploaded.emit(uploaded)
      return uploaded
    } catch (error) {
      state.progress.fail(part.partNumber)
      partitioner.feedback({ partSize: part.size, elapsed: performance.now() - started, error })
      throw error
    }
  }
}
