import { FixedThresholdResumablePolicy, isUploadError, type AutoUploader, type UploadInput, type UploadManager } from '../src/index.js'
import { ObservedSource } from './observed-source.js'
import { PartStrip } from './part-strip.js'
import { RateMeter } from './rate-meter.js'

/** Where a file goes and how: fixed when the job is made, so a pause and resume find the same record. */
export interface UploadPlan {
  objectName: string
  version: 'v1' | 'v2'
  partSize: number
  lanes: number
}

export type JobState = 'queued' | 'uploading' | 'paused' | 'failed' | 'done' | 'cancelling' | 'cancelled'

/** The fields of Kodo's default answer that the page shows. */
export interface UploadResult {
  key: string
  hash: string
}

const MiB = 1024 * 1024
const MAX_PARTS = 10_000

/** The library's default threshold, held here so the page knows which files go up in parts. */
const policy = new FixedThresholdResumablePolicy()

/** One file's upload: runs attempts, and turns the library's callbacks into state the card shows. */
export class UploadJob extends EventTarget {
  readonly file: File
  readonly plan: UploadPlan
  readonly strip: PartStrip
  readonly #uploader: AutoUploader
  /** Above the form-upload threshold: sent in parts, resumable. */
  readonly multiParts: boolean
  readonly #meter = new RateMeter()
  #state: JobState = 'queued'
  #transferred = 0
  #resumedBytes = 0
  #error: unknown
  #result: UploadResult | undefined
  /** What the current attempt was given; `cancel` must pass the same input to stop it. */
  #input: UploadInput | undefined
  #pause: AbortController | undefined

  constructor(manager: UploadManager, file: File, plan: UploadPlan) {
    super()
    this.file = file
    this.plan = plan
    this.multiParts = policy.policyForSize(file.size) === 'multi-parts'
    this.strip = new PartStrip(this.#plannedParts())
    this.#uploader = manager
      .autoUploader({ policy, multiPartsVersion: plan.version, partSize: plan.partSize, concurrency: plan.lanes })
      .onUploadProgress(({ transferredBytes }) => {
        this.#transferred = transferredBytes
        // A resumed part is counted here just before onPartUploaded says it was resumed; sample after both.
        queueMicrotask(() => this.#meter.sample(this.#transferred - this.#resumedBytes))
        this.#changed()
      })
      .onBeforeRequest((request) => {
        if (request.partNumber !== undefined) this.strip.set(request.partNumber, 'uploading')
      })
      .onPartUploaded((part) => {
        if (part.resumed) this.#resumedBytes += part.size
        this.strip.set(part.partNumber, part.resumed ? 'resumed' : 'done')
      })
  }

  get state(): JobState {
    return this.#state
  }

  get transferred(): number {
    return this.#transferred
  }

  get error(): unknown {
    return this.#error
  }

  get result(): UploadResult | undefined {
    return this.#result
  }

  /** Bytes per second actually sent, or undefined while there is too little to tell. */
  speed(): number | undefined {
    return this.#state === 'uploading' ? this.#meter.rate() : undefined
  }

  secondsLeft(): number | undefined {
    const speed = this.speed()
    return speed ? (this.file.size - this.#transferred) / speed : undefined
  }

  markQueued(): void {
    this.#error = undefined
    this.#setState('queued')
  }

  /** One attempt, from a fresh start or from the record a paused or failed attempt left. */
  async run(): Promise<void> {
    const pause = new AbortController()
    this.#pause = pause
    this.#input = this.#newInput()
    this.#transferred = 0
    this.#resumedBytes = 0
    this.#meter.reset()
    this.strip.reset(this.#plannedParts())
    this.#setState('uploading')
    try {
      const result = await this.#uploader.upload(this.#input, { objectName: this.plan.objectName, signal: pause.signal })
      this.#result = result as UploadResult
      this.#transferred = this.file.size
      this.#setState('done')
    } catch (error) {
      if (this.#state !== 'uploading') return // cancel() has taken over
      const paused = pause.signal.aborted
      this.strip.settle(!paused && isUploadError(error) ? error.partNumber : undefined)
      this.#error = paused ? undefined : error
      this.#setState(paused ? 'paused' : 'failed')
    }
  }

  /** Aborting keeps the record, so the next `run` resumes. */
  pause(): void {
    this.#pause?.abort()
  }

  /** Stops the upload, aborts it on the server and forgets its record. */
  async cancel(): Promise<void> {
    this.#setState('cancelling')
    try {
      await this.#uploader.cancel(this.#input ?? this.#newInput(), { objectName: this.plan.objectName })
      this.#setState('cancelled')
    } catch (error) {
      this.#error = error
      this.#setState('failed')
    }
  }

  /** Multi-part uploads get a source that reports each part as it is taken: it hashes until its request starts. */
  #newInput(): UploadInput {
    if (!this.multiParts) return this.file
    return new ObservedSource(this.file, (part) => this.strip.set(part.partNumber, 'hashing'))
  }

  /** As the library lays parts out: V2 parts grow when 10 000 of them would not hold the file. */
  #plannedParts(): number {
    if (!this.multiParts) return 0
    const { version, partSize } = this.plan
    const size = version === 'v2' ? Math.max(partSize, Math.ceil(this.file.size / MAX_PARTS / MiB) * MiB) : partSize
    return Math.ceil(this.file.size / size)
  }

  #setState(state: JobState): void {
    this.#state = state
    this.#changed()
  }

  #changed(): void {
    this.dispatchEvent(new Event('change'))
  }
}
