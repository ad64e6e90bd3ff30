import type { AutoUploaderOptions } from '../auto/auto-uploader.js'
import { UploadError } from '../errors.js'
import { positiveInteger } from '../utils/positive-integer.js'
import { checkObjectParams, paramsForScope, type ObjectParams } from '../context/object-params.js'
import { contextOf, type BaseUploadManager } from '../manager/upload-manager.js'
import { findRecord, forgetRecord } from './find-record.js'
import { checkedFile, fileOf, handlePermission, identify, readHandle, sameFile, type FileHandleLike } from './file-identity.js'
import { sumProgress, type ItemStatus, type QueueProgress } from './item-status.js'
import { LaneBudget } from './lane-budget.js'
import { noQueueChannel, type QueueMessage } from './queue-channel.js'
import { QueueEmitter } from './queue-events.js'
import type { QueueEvents, UploadQueueOptions } from './queue-options.js'
import { QueueItem, type ItemControls } from './queue-item.js'
import { memoryQueueStore, type ItemPlan, type QueueStore, type StoredParams } from './queue-store.js'
import { TabPresence } from './tab-presence.js'
import { heardFromTab, runItem } from './item-run.js'
import type { QueueInternals } from './queue-internals.js'
import { noTabLocks, type TabLocks } from './tab-locks.js'

/**
 * Many files, one budget: `files` upload at once and their parts share `lanes`. Items can be
 * paused, resumed, cancelled, retried and moved up; the queue survives reloads (`restore()`), and
 * with tab locks one file is sent by one tab at a time.
 */
export class UploadQueue {
  readonly #manager: BaseUploadManager
  readonly #options: AutoUploaderOptions
  readonly #budget: LaneBudget
  #files: number
  readonly #store: QueueStore
  readonly #locks: TabLocks
  readonly #presence: TabPresence
  readonly #items = new Map<string, QueueItem>()
  readonly #running = new Map<QueueItem, { controller: AbortController; ended: Promise<void>; stop?: 'pause' | 'cancel' }>()
  readonly #waiting = new Map<QueueItem, AbortController>()
  readonly #events: QueueEmitter
  readonly #controls: ItemControls
  readonly #stopListening: () => void
  readonly #internals: QueueInternals
  #saving: Promise<void> = Promise.resolve()
  #lastOrder = 0

  constructor(manager: BaseUploadManager, options: UploadQueueOptions = {}) {
    this.#manager = manager
    this.#events = new QueueEmitter(contextOf(manager).warn)
    this.#options = options.uploader ?? {}
    this.#budget = new LaneBudget(options.lanes ?? 6, options.lanesPerFile)
    this.#files = positiveInteger(options.files ?? 2, '`files`')
    this.#store = options.store ?? memoryQueueStore()
    this.#locks = options.locks ?? noTabLocks
    this.#presence = new TabPresence(options.channel ?? noQueueChannel, Math.random().toString(36).slice(2))
    this.#controls = {
      pause: (item) => this.#pause(item),
      resume: (item) => (item.state === 'paused' || item.state === 'busy-elsewhere') && this.#requeue(item),
      cancel: (item) => this.#cancel(item),
      retry: (item) => item.state === 'failed' && this.#requeue(item),
      prioritise: (item) => {
        item.order = Math.min(0, ...this.items.map((other) => other.order)) - 1
        this.#changed(item)
        this.#pump()
      },
      provideFile: (item, file) => this.#provideFile(item, file),
    }
    this.#internals = {
      manager,
      bucket: contextOf(manager).bucket,
      options: this.#options,
      budget: this.#budget,
      locks: this.#locks,
      presence: this.#presence,
      whenBusy: options.whenBusyElsewhere ?? 'wait',
      stallNoticeMs: options.stallNoticeMs ?? 10_000,
      waiting: this.#waiting,
      items: () => this.items,
      recorder: () => this.#recorder(),
      setStatus: (item, status) => this.#setStatus(item, status),
      requeue: (item) => this.#requeue(item),
      forget: (item) => this.#forget(item),
      emit: (type, value) => this.#emit(type, value),
    }
    this.#stopListening = this.#presence.listen((message) => heardFromTab(this.#internals, message))
    if (!this.#locks.supported && options.locks) contextOf(manager).warn('Web Locks are unavailable: two tabs may upload the same file at once.')
  }

  /** Every item, first in line first. */
  get items(): QueueItem[] {
    return [...this.#items.values()].sort((a, b) => a.order - b.order)
  }

  /** Whether two tabs are kept from uploading the same file at once (Web Locks). */
  get tabSafe(): boolean {
    return this.#locks.supported
  }

  /** Changes the budget; running uploads keep going and adapt as their parts finish (see `UploadQueueOptions`). */
  setBudget(budget: Pick<UploadQueueOptions, 'files' | 'lanes' | 'lanesPerFile'>): void {
    if (budget.lanes !== undefined) this.#budget.total = budget.lanes
    if (budget.lanesPerFile !== undefined) this.#budget.perOwner = budget.lanesPerFile
    if (budget.files !== undefined) this.#files = positiveInteger(budget.files, '`files`')
    this.#pump()
  }

  on<K extends keyof QueueEvents>(type: K, listener: (value: QueueEvents[K]) => void): () => void {
    return this.#events.on(type, listener)
  }

  /**
   * Adds a file (or a handle, kept for reloads), with how it goes up when that differs from the queue's options.
   * The same file to the same key again gives the item already queued. `params.signal` pauses the item (not kept across reloads).
   */
  async add(input: File | FileHandleLike, params: ObjectParams = {}, plan?: ItemPlan): Promise<QueueItem> {
    checkObjectParams(params)
    params = paramsForScope(params, contextOf(this.#manager).scope) // the key the item is known by, as its upload will use it
    const { file, handle } = await fileOf(input)
    const identity = await identify(file, contextOf(this.#manager).hasher)
    const { signal, ...stored } = params
    let item = this.items.find((item) => !item.finished && item.objectName === params.objectName && sameFile(item.file, identity))
    if (item && !item.blob) await this.#provideFile(item, file)
    if (!item) {
      item = new QueueItem(this.#controls, { id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`, file: identity, params: stored as StoredParams, plan, handle, state: 'queued', bytesDone: 0, order: ++this.#lastOrder }, file)
      this.#items.set(item.id, item)
      this.#save(item)
      this.#emit('added', item)
      if (!signal?.aborted) this.#pump()
    }
    item.pauseOn(signal)
    return item
  }

  /**
   * Lists the unfinished items kept from an earlier page (reload, browser restart): with a readable
   * handle they are `paused` and ready; `needs-permission` until `continueAll()`; `needs-file` without a handle.
   */
  async restore(): Promise<QueueItem[]> {
    const restored: QueueItem[] = []
    for (const stored of (await this.#store.list()).sort((a, b) => a.order - b.order)) {
      if (this.#items.has(stored.id)) continue
      const record = await findRecord(this.#recorder(), contextOf(this.#manager).bucket, stored.file, stored.params)
      const item = new QueueItem(this.#controls, { ...stored, bytesDone: record?.bytesDone ?? 0 })
      this.#lastOrder = Math.max(this.#lastOrder, item.order)
      this.#items.set(item.id, item)
      item.status = { state: item.handle ? 'needs-permission' : 'needs-file' }
      if (item.handle && (await handlePermission(item.handle, false))) await this.#readHandle(item)
      restored.push(item)
      this.#emit('added', item)
    }
    return restored
  }

  /** Asks once for every handle that needs it (call it from a click), then resumes every paused item. */
  async continueAll(): Promise<void> {
    for (const item of this.items) {
      if (item.state === 'needs-permission' && (await handlePermission(item.handle!, true))) await this.#readHandle(item)
    }
    this.resumeAll()
  }

  pauseAll(): void {
    for (const item of this.items) if (!item.finished && item.state !== 'paused') this.#pause(item)
  }

  resumeAll(): void {
    for (const item of this.items) item.resume()
  }

  /** Drops finished items from the list. */
  clearFinished(): void {
    for (const item of this.items) if (item.finished) this.#items.delete(item.id)
  }

  /** Bytes of every item not cancelled, and the sum of their rates. */
  progress(now = Date.now()): QueueProgress {
    return sumProgress(this.items.filter((item) => item.state !== 'cancelled').map((item) => item.progress(now)))
  }

  /** Resolves once nothing is queued or running (paused, failed and waiting items do not hold it up). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.items.some((item) => item.running || item.state === 'queued')) return
        stop()
        resolve()
      }
      const stop = this.on('state', check)
      check()
    })
  }

  /** Uploads running in other tabs of this origin. */
  elsewhere(): QueueMessage[] {
    return this.#presence.elsewhere()
  }

  /** Stops listening to other tabs (the uploads go on). */
  close(): void {
    this.#stopListening()
  }

  #pump(): void {
    while (this.#running.size < this.#files) {
      const next = this.items.find((item) => item.state === 'queued' && item.blob && !this.#running.has(item))
      if (!next) return
      this.#start(next)
    }
  }

  #start(item: QueueItem): void {
    const controller = new AbortController()
    const run = { controller, ended: Promise.resolve(), stop: undefined as 'pause' | 'cancel' | undefined }
    this.#running.set(item, run)
    run.ended = runItem(this.#internals, item, controller.signal, () => run.stop).finally(() => {
      this.#running.delete(item)
      this.#pump()
    })
  }

  #pause(item: QueueItem): void {
    if (item.finished) return
    const run = this.#running.get(item)
    if (run) {
      run.stop = 'pause'
      run.controller.abort(new UploadError('aborted', 'The upload was paused.'))
    }
    this.#waiting.get(item)?.abort()
    if (item.state !== 'needs-file' && item.state !== 'needs-permission') this.#setStatus(item, { state: 'paused' })
  }

  #requeue(item: QueueItem): void {
    this.#waiting.get(item)?.abort()
    this.#setStatus(item, { state: item.blob ? 'queued' : item.handle ? 'needs-permission' : 'needs-file' })
    this.#pump()
  }

  async #cancel(item: QueueItem): Promise<void> {
    if (item.finished) return
    const run = this.#running.get(item)
    if (run) {
      run.stop = 'cancel'
      run.controller.abort(new UploadError('aborted', 'The upload was cancelled.'))
      await run.ended
    }
    this.#waiting.get(item)?.abort()
    try {
      // Stops the upload on the server (V2 abort) and forgets its record; without the file, only the record.
      if (item.blob) await this.#manager.autoUploader({ ...this.#options, ...item.plan }).cancel(item.blob, item.params)
      else await forgetRecord(this.#recorder(), contextOf(this.#manager).bucket, item.file, item.params)
    } catch (cause) {
      contextOf(this.#manager).warn('The cancelled upload could not be aborted on the server; it expires by itself.', cause)
    }
    this.#setStatus(item, { state: 'cancelled' })
    await this.#forget(item)
  }

  async #provideFile(item: QueueItem, file: File): Promise<void> {
    try {
      item.blob = await checkedFile(file, item.file, contextOf(this.#manager).hasher)
    } catch (error) {
      this.#setStatus(item, { state: 'needs-file', error: error as UploadError })
      throw error
    }
    this.#requeue(item)
  }

  /** Reads a restored item's handle and checks the file is still the one that was queued. */
  async #readHandle(item: QueueItem): Promise<void> {
    this.#setStatus(item, { state: 'checking' })
    try {
      item.blob = await readHandle(item.handle!, item.file, contextOf(this.#manager).hasher)
      this.#setStatus(item, { state: 'paused' })
    } catch (error) {
      this.#setStatus(item, { state: 'needs-file', error: error as UploadError })
    }
  }

  #setStatus(item: QueueItem, status: ItemStatus): void {
    item.status = status
    this.#changed(item)
  }

  #changed(item: QueueItem): void {
    if (item.state !== 'done' && item.state !== 'cancelled') this.#save(item)
    this.#emit('state', item)
  }

  #save(item: QueueItem): void {
    this.#saving = this.#saving.then(() => this.#store.put(item.toStored()))
  }

  #forget(item: QueueItem): Promise<void> {
    return (this.#saving = this.#saving.then(() => this.#store.delete(item.id)))
  }

  #recorder() {
    return this.#options.recorder ?? contextOf(this.#manager).recorder
  }

  #emit<K extends keyof QueueEvents>(type: K, value: QueueEvents[K]): void {
    this.#events.emit(type, value)
  }
}
