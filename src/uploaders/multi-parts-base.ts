import { isPartsExpired, isUploadError, markPartsExpired, type UploadError } from '../errors.js'
import type { Endpoints } from '../http/endpoints.js'
import type { Digest } from '../hashing/hasher.js'
import { checkObjectParams, paramsForScope, type ObjectParams } from '../context/object-params.js'
import { contextOf, type UploadManagerCore } from '../context/manager-core.js'
import { regionsForUpload, type UploaderContext } from '../context/uploader-context.js'
import type { UploadTarget } from '../protocol/target.js'
import type { DataPartitionProvider } from '../providers/partition-provider.js'
import { readRecord, RecordWriter } from '../recorders/record-writer.js'
import { newRecord, recordMatches, type RecordedPart, type ResumableRecord, type ResumableRecorder } from '../recorders/recorder.js'
import type { DataSource, DataSourcePart } from '../sources/data-source.js'
import { checkDataSource } from '../sources/source-input.js'
import { DEFAULT_PART_SIZE } from '../protocol/part-limits.js'
import { maybeCommittedError } from './final-call.js'
import { provenByBytes, type ListedOnServer } from './listed-part.js'
import { firstPartDigest, nextPart } from './part-feed.js'
import { SourceIdentities, type SourceIdentity } from './source-identity.js'
import type { MultiPartsUploader, MultiPartsUploaderOptions, ReinitializeOptions, UploadedPart } from './multi-parts-uploader.js'
import { commitParts } from './commit-parts.js'
import { assertSourceUnchanged } from './source-change.js'
import { checkTokenLimits } from '../tokens/token-limits.js'
import { normalizePartSize, partSizeAt } from './part-plan.js'
import { PartsState } from './parts-state.js'
import { ProgressTracker, progressEmitter } from './progress.js'
import { UploaderCallbacks } from './uploader-callbacks.js'
import type { UploadResult } from './upload-result.js'
import { anySignal, timeoutSignal } from '../utils/any-signal.js'

/** How long a cancel waits for the server to stop the upload. */
const CANCEL_WAIT_MS = 5_000

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
  readonly #identities: SourceIdentities

  constructor(manager: UploadManagerCore, options: MultiPartsUploaderOptions = {}) {
    super()
    const ctx = contextOf(manager)
    this.ctx = ctx
    this.recorder = options.recorder ?? ctx.recorder
    this.verifyResumedParts = options.verifyResumedParts ?? true
    this.checkObjectHash = options.checkObjectHash ?? true
    this.#identities = new SourceIdentities(ctx, () => this.version, () => this.digestRequest())
  }

  /** Starts the upload on the server (V2 initParts); fills in the record's protocol fields. */
  protected abstract begin(state: PartsState): Promise<void>
  /** Makes the recorded parts usable (V2 asks the server which it holds); false: start afresh. */
  protected abstract adoptRecord(state: PartsState, record: ResumableRecord): Promise<boolean>
  /** Sends one part and returns it; the base class handles progress, record and callbacks. */
  protected abstract sendPart(state: PartsState, part: DataSourcePart, digest: Digest): Promise<{ uploaded: P; recorded: RecordedPart }>
  /** The uploaded part as a record remembered it. */
  protected abstract resumedPart(recorded: RecordedPart): P
  protected abstract finish(state: PartsState, parts: P[]): Promise<UploadResult>
  /** After the final call's answer was lost: true when the server shows that it did not take effect. */
  protected abstract finishDidNotHappen(state: PartsState): Promise<boolean>
  /** The final call was answered "no such upload" (V2's 612, V1's 701 for ctxs of this attempt): maybe an earlier copy took effect. */
  protected abstract finalCallAnsweredGone(error: unknown, state: PartsState): error is UploadError
  abstract abortParts(state: PartsState): Promise<void>
  /** Whether this status answer means the parts the upload relied on are gone from the server. */
  protected abstract partsExpired(error: UploadError): boolean

  async initializeParts(source: DataSource, params: ObjectParams, partitioner?: DataPartitionProvider): Promise<PartsState> {
    checkDataSource(source, 'initializeParts()')
    checkObjectParams(params)
    params = paramsForScope(params, this.ctx.scope)
    const partSize = this.#partSizeAt(partitioner, source.totalSize(), 0, 1)
    const identity = await this.#identities.identify(source, params, partSize)
    // The token is asked for beside the region: a file it refuses fails before any byte is sent.
    const [upEndpoints] = await Promise.all([this.firstRegion(params), checkTokenLimits(this.ctx, params, source.totalSize())])
    const state = this.#newState(source, params, identity, upEndpoints, partSize)
    await this.begin(state)
    state.writer?.write(state.record)
    return state
  }

  async tryToResumeParts(source: DataSource, params: ObjectParams, partitioner?: DataPartitionProvider): Promise<PartsState | null> {
    checkDataSource(source, 'A multi-part upload')
    // The first part's hash starts now: a fresh upload sends it after initParts, a resumed one checks it.
    const state = await this.#recordedState(source, params, this.#partSizeAt(partitioner, source.totalSize(), 0, 1))
    if (!state) return null
    const record = state.record
    let adopted = false
    let failure: unknown
    try {
      adopted = await this.adoptRecord(state, record)
    } catch (error) {
      if (isUploadError(error, 'aborted')) throw error
      failure = error
    }
    if (!adopted && record.committing) {
      // The final call went out and its answer was lost: uploading again could store the object twice.
      throw maybeCommittedError({ api: this.version === 'v2' ? 'completeParts' : 'mkfile', key: state.params.objectName, hash: record.committing.hash, cause: failure })
    }
    if (!adopted) {
      // Hosts that are gone, an upload the server forgot: start afresh in the current region.
      if (failure !== undefined && !isPartsExpired(failure)) this.ctx.warn('The resumable record could not be used; the upload starts from the beginning.', failure)
      if (isUploadError(failure)) await this.startOver.emit(failure)
      await state.writer?.delete()
      return null
    }
    state.record = { ...record, committing: undefined, parts: [...state.resumable.values()] }
    return state
  }

  /**
   * Forgets the upload's record at once, then stops the upload on the server (V2) if that takes less than
   * `CANCEL_WAIT_MS` (offline, the abort fails at once): nobody waits for a cancel, and the parts expire there.
   */
  async cancelRecorded(source: DataSource, params: ObjectParams, _partitioner?: DataPartitionProvider): Promise<void> {
    checkDataSource(source, 'cancelRecorded()')
    const waited = timeoutSignal(CANCEL_WAIT_MS)
    const state = await this.#recordedState(source, { ...params, signal: params.signal ? anySignal([params.signal, waited]) : waited })
    if (!state) return
    await state.writer?.delete()
    try {
      await this.abortParts(state)
    } catch (error) {
      this.ctx.warn('The upload could not be stopped on the server (it expires there); its record is forgotten.', error)
    }
  }

  /** The state a matching record describes, before the server was asked about it. */
  async #recordedState(source: DataSource, params: ObjectParams, firstPartSize?: number): Promise<PartsState | null> {
    checkObjectParams(params)
    params = paramsForScope(params, this.ctx.scope)
    const identity = await this.#identities.identify(source, params, firstPartSize)
    if (identity.key === null) return null
    const record = await readRecord(this.recorder, identity.key, this.ctx.warn)
    if (!record || !recordMatches(record, { version: this.version, bucket: this.ctx.bucket, objectName: params.objectName })) return null
    const upEndpoints: Endpoints = { preferred: record.upEndpoints, alternative: [] }
    return this.#newState(source, params, identity, upEndpoints, record.partSize, record)
  }

  async uploadPart(state: PartsState, partitioner: DataPartitionProvider): Promise<P | null> {
    state.lanesInPart++
    try {
      const taken = await nextPart(state, {
        hasher: this.ctx.hasher,
        digestRequest: this.digestRequest(),
        checkObjectHash: this.checkObjectHash,
        normalize: (size) => normalizePartSize(this.version, size),
        sizeAt: (offset, partNumber) => this.#partSizeAt(partitioner, state.source.totalSize(), offset, partNumber),
      })
      if (!taken) return null
      if (taken.recorded) return await this.#resume(state, taken.part, taken.recorded, partitioner)
      return await this.#upload(state, taken.part, partitioner, taken.digest, taken.listed)
    } finally {
      state.lanesInPart--
    }
  }

  async completeParts(state: PartsState, parts: P[]): Promise<UploadResult> {
    await assertSourceUnchanged(state)
    return commitParts(state, parts, {
      finish: (final) => this.finish(state, final).catch(this.#tagExpired),
      didNotHappen: () => this.finishDidNotHappen(state),
      checkObjectHash: this.checkObjectHash,
      warn: this.ctx.warn,
      answeredGone: (error) => this.finalCallAnsweredGone(error, state),
    })
  }

  readonly #tagExpired = (error: unknown): never => {
    throw isUploadError(error, 'status') && this.partsExpired(error) ? markPartsExpired(error) : error
  }

  async reinitializeParts(state: PartsState, options: ReinitializeOptions = {}): Promise<void> {
    if (options.reason) await this.startOver.emit(options.reason)
    await state.source.reset()
    await state.writer?.delete()
    if (options.upEndpoints) state.upEndpoints = options.upEndpoints
    state.restart(this.#newRecord(state.source, state.params, state.upEndpoints, state.partSize))
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
      progress: new ProgressTracker(source.totalSize(), progressEmitter(this.uploadProgress), { pace: () => this.ctx.http.linkRate.bytesPerMs }),
      record: record ?? this.#newRecord(source, params, upEndpoints, partSize),
      writer: identity.key === null ? undefined : new RecordWriter(this.recorder, identity.key, this.ctx.warn),
    })
    state.firstPartDigest = identity.firstPartDigest
    return state
  }

  #newRecord(source: DataSource, params: ObjectParams, upEndpoints: Endpoints, partSize: number): ResumableRecord {
    return newRecord({ version: this.version, bucket: this.ctx.bucket, objectName: params.objectName, upEndpoints: upEndpoints.preferred, partSize, source: source.describe() })
  }

  #partSizeAt(partitioner: DataPartitionProvider | undefined, total: number | undefined, offset: number, partNumber: number): number {
    return partSizeAt(this.version, partitioner?.partSize() ?? DEFAULT_PART_SIZE, total, offset, partNumber)
  }

  /** A part the server holds, counted as sent; a recorded one is re-hashed beside the upload (`check`), a listed one was proven already. */
  async #resume(state: PartsState, part: DataSourcePart, recorded: RecordedPart, partitioner: DataPartitionProvider, check = true): Promise<P> {
    state.resumedAny = true
    state.progress.complete(part.partNumber, part.size)
    const uploaded = this.resumedPart(recorded)
    if (check && (this.verifyResumedParts || this.checkObjectHash)) {
      const check = this.#verify(state, part, recorded, partitioner)
      check.catch((error) => state.fail?.(error)) // the first failed check stops the upload at once
      state.checks.push(check)
    }
    await this.partUploaded.emit(uploaded)
    return uploaded
  }

  /** Re-hashes a resumed part beside the upload; a part whose bytes changed is sent again. */
  async #verify(state: PartsState, part: DataSourcePart, recorded: RecordedPart, partitioner: DataPartitionProvider): Promise<P | undefined> {
    const digest = await (firstPartDigest(state, part) ?? this.ctx.hasher.digest(part.blob, this.digestRequest(), state.signal))
    if (digest.sha1Blocks) state.blockDigests.set(part.partNumber, digest.sha1Blocks)
    if (!this.verifyResumedParts || digest.md5 === recorded.md5) return undefined
    state.progress.revoke(part.partNumber, part.size)
    return this.#upload(state, part, partitioner, Promise.resolve(digest))
  }

  async #upload(state: PartsState, part: DataSourcePart, partitioner: DataPartitionProvider, hashing: Promise<Digest>, listed?: ListedOnServer): Promise<P> {
    let started = performance.now()
    try {
      const digest = await hashing
      started = performance.now() // the part's own time, for the part-size provider: not the wait for its digest
      if (digest.sha1Blocks && (this.checkObjectHash || !listed)) state.blockDigests.set(part.partNumber, digest.sha1Blocks)
      if (listed && (await provenByBytes(listed, digest))) return await this.#adoptListed(state, part, listed, digest, partitioner)
      const { uploaded, recorded } = await this.sendPart(state, part, digest).catch(this.#tagExpired)
      state.rememberPart(recorded)
      state.progress.complete(part.partNumber, part.size)
      partitioner.feedback({ partSize: part.size, elapsed: performance.now() - started })
      await this.partUploaded.emit(uploaded)
      return uploaded
    } catch (error) {
      partitioner.feedback({ partSize: part.size, elapsed: performance.now() - started, error })
      throw error
    }
  }

  /** A listed part whose bytes are proven the same as the local slice: reused as if the record had it. */
  async #adoptListed(state: PartsState, part: DataSourcePart, listed: ListedOnServer, digest: Digest, partitioner: DataPartitionProvider): Promise<P> {
    const recorded: RecordedPart = { offset: part.offset, size: part.size, partNumber: part.partNumber, md5: digest.md5 ?? '', etag: listed.etag }
    state.rememberPart(recorded)
    return this.#resume(state, part, recorded, partitioner, false)
  }
}
