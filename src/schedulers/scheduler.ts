import { UploadError, isPartsExpired, isUploadError } from '../errors.js'
import type { Endpoints } from '../http/endpoints.js'
import { isThrottling } from '../http/retry.js'
import type { ObjectParams } from '../context/object-params.js'
import { AdaptiveConcurrencyProvider } from '../providers/adaptive-concurrency-provider.js'
import { toConcurrencyProvider, type ConcurrencyProvider, type LaneTuner } from '../providers/concurrency-provider.js'
import { FixedDataPartitionProvider, toPartitionProvider, type DataPartitionProvider } from '../providers/partition-provider.js'
import type { DataSource } from '../sources/data-source.js'
import type { MultiPartsUploader, UploadedPart } from '../uploaders/multi-parts-uploader.js'
import type { PartsState } from '../uploaders/parts-state.js'
import { explainFailure } from '../uploaders/source-change.js'
import type { KodoUploadBody, UploadResult } from '../uploaders/upload-result.js'
import { LaneLimiter } from './lane-limiter.js'
import { anySignal } from '../utils/any-signal.js'

/**
 * The seed's scheduling algorithm, shared by the serial and concurrent schedulers: resume if a
 * record allows it, else initialize; after expired parts of a resumed attempt, start over once;
 * after a retryable failure, move on to the next region. Lanes pull parts until the source is done.
 */
export abstract class MultiPartsUploaderScheduler {
  readonly uploader: MultiPartsUploader<PartsState, UploadedPart>
  protected concurrencyProvider: ConcurrencyProvider = new AdaptiveConcurrencyProvider()
  protected partitionProvider: DataPartitionProvider = new FixedDataPartitionProvider()

  constructor(uploader: MultiPartsUploader<PartsState, UploadedPart>) {
    this.uploader = uploader
  }

  /** A provider, or a number of lanes that stays fixed. */
  setConcurrencyProvider(provider: ConcurrencyProvider | number): this {
    this.concurrencyProvider = toConcurrencyProvider(provider)
    return this
  }

  /** A provider, or a part size in bytes that stays fixed. */
  setDataPartitionProvider(provider: DataPartitionProvider | number): this {
    this.partitionProvider = toPartitionProvider(provider)
    return this
  }

  /** How many parts go up at once in this upload. */
  protected abstract lanes(): number

  /** What moves the lanes of one attempt as its parts are answered; none: they stay as `lanes()` said. */
  protected laneTuner(_lanes: number): LaneTuner | undefined {
    return undefined
  }

  async upload<B extends object = KodoUploadBody>(source: DataSource, params: ObjectParams = {}): Promise<UploadResult<B>> {
    const started = performance.now()
    const lanes = this.lanes()
    let sentBytes = 0
    const onPart = (part: UploadedPart) => {
      if (!part.resumed) sentBytes += part.size
    }
    try {
      const result = await this.#upload(source, params, lanes, onPart)
      this.#feedback(lanes, sentBytes, started)
      return result as UploadResult<B>
    } catch (error) {
      this.#feedback(lanes, sentBytes, started, error)
      throw error
    }
  }

  async #upload(source: DataSource, params: ObjectParams, lanes: number, onPart: (part: UploadedPart) => void): Promise<UploadResult> {
    const state = await this.uploader.tryToResumeParts(source, params, this.partitionProvider)
    if (!state) return this.#uploadToRegions(source, params, lanes, onPart)
    let error: unknown
    try {
      return await this.#attempt(state, lanes, onPart)
    } catch (failure) {
      error = failure
    }
    if (state.resumedAny && isPartsExpired(error)) {
      try {
        freshSignal(state)
        await this.uploader.reinitializeParts(state, { reason: error })
        return await this.#attempt(state, lanes, onPart)
      } catch (failure) {
        error = failure
      }
    }
    if (!isUploadError(error) || !error.retryable) throw error
    return this.#uploadToRegions(source, params, lanes, onPart, state, error)
  }

  /** Tries each region in turn (skipping the one `state` already failed in: any region sharing an up host with it). */
  async #uploadToRegions(
    source: DataSource,
    params: ObjectParams,
    lanes: number,
    onPart: (part: UploadedPart) => void,
    state?: PartsState,
    previousError?: UploadError,
  ): Promise<UploadResult> {
    let regions = await this.uploader.regionsFor(params)
    if (state) regions = regions.filter((region) => !sharesHost(region, state!.upEndpoints))
    let lastError: unknown = previousError
    for (const region of regions) {
      try {
        if (state) await this.#reinitialize(state, region, lastError)
        else state = await this.uploader.initializeParts(source, { ...params, upEndpoints: region.preferred }, this.partitionProvider)
        return await this.#attempt(state, lanes, onPart)
      } catch (error) {
        lastError = error
        if (!isUploadError(error) || !error.retryable) throw error
      }
    }
    throw lastError ?? new UploadError('no-region', 'No region was left to try for this upload.')
  }

  /** Starts over in another region; a source that cannot restart (a stream) fails with the error that sent it there. */
  async #reinitialize(state: PartsState, region: Endpoints, reason: unknown): Promise<void> {
    freshSignal(state)
    try {
      await this.uploader.reinitializeParts(state, { upEndpoints: region, reason: isUploadError(reason) ? reason : undefined })
    } catch (error) {
      throw isUploadError(error, 'invalid-input') && reason !== undefined ? reason : error
    }
  }

  /**
   * Runs `lanes` lanes until the source is exhausted; the first failure stops the others at once. A
   * tuner (if any) moves the lanes as parts are answered: lanes up to its `max` are started,
   * and the limiter lets as many send as it says. Throttling answers halve the lanes in use for a while
   * (and tell the concurrency provider).
   */
  async #attempt(state: PartsState, lanes: number, onPart: (part: UploadedPart) => void): Promise<UploadResult> {
    const stop = new AbortController()
    const userSignal = state.params.signal
    state.signal = userSignal ? anySignal([userSignal, stop.signal]) : stop.signal
    const limiter = new LaneLimiter(lanes)
    const tuner = this.laneTuner(lanes)
    const started = performance.now()
    state.onRetry = (error) => {
      if (!isThrottling(error.statusCode)) return
      const concurrency = limiter.throttle()
      this.concurrencyProvider.feedback({ concurrency, objectSize: 0, elapsed: performance.now() - started, error })
    }
    const parts: UploadedPart[] = []
    let firstError: { error: unknown } | undefined
    const fail = (error: unknown) => {
      if (firstError) return
      firstError = { error }
      stop.abort(error)
    }
    state.fail = fail
    const shared = this.concurrencyProvider.sharedLanes
    const lane = async () => {
      while (!firstError) {
        try {
          await limiter.acquire(state.signal)
        } catch (error) {
          return fail(error)
        }
        try {
          await shared?.acquire(state.signal)
        } catch (error) {
          limiter.release(false)
          return fail(error)
        }
        let succeeded = false
        try {
          const part = await this.uploader.uploadPart(state, this.partitionProvider)
          succeeded = true
          if (!part) return
          parts.push(part)
          onPart(part)
          if (tuner && !part.resumed) limiter.resize(tuner.answered({ size: part.size, at: performance.now() }))
        } catch (error) {
          fail(error)
        } finally {
          shared?.release()
          limiter.release(succeeded)
        }
      }
    }
    await Promise.all(Array.from({ length: Math.max(lanes, tuner?.max ?? 0) }, lane))
    if (firstError) throw userSignal?.aborted ? userAbortError(userSignal, firstError.error) : await explainFailure(state, firstError.error)
    return this.uploader.completeParts(state, parts)
  }

  #feedback(concurrency: number, objectSize: number, started: number, error?: unknown): void {
    if (objectSize > 0) this.concurrencyProvider.feedback({ concurrency, objectSize, elapsed: performance.now() - started, error })
  }
}

/** The next attempt's requests must not inherit the failed attempt's aborted signal (only the caller's). */
function freshSignal(state: PartsState): void {
  state.signal = state.params.signal ?? new AbortController().signal
}

/** Whether two regions have an up host in common (the resumed state knows only its preferred hosts). */
function sharesHost(a: Endpoints, b: Endpoints): boolean {
  return a.preferred.some((host) => b.preferred.includes(host))
}

function userAbortError(signal: AbortSignal, error: unknown): unknown {
  return isUploadError(error, 'aborted') ? error : new UploadError('aborted', 'The upload was aborted.', { cause: signal.reason })
}
