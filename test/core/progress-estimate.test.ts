// Issue 14: a transport that reports a body's progress once per request (Firefox on a fast link) still
// gives a moving bar: quiet requests are estimated from the measured pace, below their part's end.
// The queue passes the estimated share on, so an app (and the demo) can mark the figure as approximate.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isUploadError, type UploadProgress } from '../../src/index.js'
import { ESTIMATE_TICK_MS, ProgressEstimate } from '../../src/uploaders/progress-estimate.js'
import { ProgressTracker, progressEmitter } from '../../src/uploaders/progress.js'
import { CallbackList } from '../../src/http/callbacks.js'
import { QueueItem, type ItemControls } from '../../src/queue/queue-item.js'
import { sumProgress } from '../../src/queue/item-status.js'

const MiB = 1 << 20
/** 1 MiB per second, in bytes per ms. */
const PACE = MiB / 1000

describe('ProgressEstimate', () => {
  it('estimates a quiet request from the pace, below 90 % of its part, never going back', () => {
    const estimate = new ProgressEstimate()
    estimate.start(1, 4 * MiB, 0)
    expect(estimate.advance(ESTIMATE_TICK_MS - 1, PACE)).toBe(false)
    expect(estimate.advance(1000, PACE)).toBe(true)
    expect(estimate.estimates.get(1)).toBe(MiB)
    // A slower pace later never takes the estimate back.
    expect(estimate.advance(1500, PACE / 4)).toBe(false)
    expect(estimate.estimates.get(1)).toBe(MiB)
    estimate.advance(60_000, PACE)
    expect(estimate.estimates.get(1)).toBe(Math.floor(4 * MiB * 0.9))
    expect(estimate.nextTick(60_000, PACE)).toBeUndefined()
  })

  it('goes on from the last report, and holds still once the request ended', () => {
    const estimate = new ProgressEstimate()
    estimate.start(2, 8 * MiB, 0)
    estimate.report(2, 2 * MiB, 500)
    estimate.advance(1500, PACE)
    expect(estimate.estimates.get(2)).toBe(3 * MiB)
    estimate.stop(2)
    expect(estimate.advance(3000, PACE)).toBe(false)
    expect(estimate.nextTick(3000, PACE)).toBeUndefined()
    estimate.forget(2)
    expect(estimate.estimates.size).toBe(0)
  })

  it('makes no estimate before the pace is known', () => {
    const estimate = new ProgressEstimate()
    estimate.start(1, 4 * MiB, 0)
    expect(estimate.advance(5000, undefined)).toBe(false)
    expect(estimate.nextTick(5000, undefined)).toBeUndefined()
  })

  it('stops estimating once the transport reports partial progress promptly', () => {
    const estimate = new ProgressEstimate()
    estimate.start(1, 4 * MiB, 0)
    expect(estimate.nextTick(0, PACE)).toBe(ESTIMATE_TICK_MS)
    // A burst of three is what engines that report in socket-buffer steps do now and then.
    for (const n of [1, 2, 3]) estimate.report(1, n * 64 * 1024, n * 50)
    expect(estimate.nextTick(150, PACE)).toBe(ESTIMATE_TICK_MS)
    estimate.report(1, 4 * 64 * 1024, 200)
    expect(estimate.nextTick(200, PACE)).toBeUndefined()
    estimate.start(2, 4 * MiB, 200)
    expect(estimate.advance(5000, PACE)).toBe(false)
  })
})

describe('ProgressTracker with a transport that reports once per body', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  function tracker(total: number, pace: () => number | undefined = () => PACE) {
    const events: UploadProgress[] = []
    const list = new CallbackList<UploadProgress>()
    list.add((progress) => void events.push(progress))
    const progress = new ProgressTracker(total, progressEmitter(list), { pace, now: () => Date.now() })
    return { progress, events, list }
  }

  it('moves the bar during a part, marks estimates, and ends at the total with no timer left', () => {
    const { progress, events } = tracker(8 * MiB)
    progress.complete(1, 4 * MiB)
    const body = progress.body(2, 4 * MiB)
    body.sending(true)
    vi.advanceTimersByTime(2000)
    const during = events.slice(1)
    expect(during.length).toBeGreaterThanOrEqual(5)
    expect(during.every((event) => (event.estimatedBytes ?? 0) > 0)).toBe(true)
    expect(during.at(-1)!.transferredBytes).toBe(4 * MiB + 2 * MiB)
    // The one real report of the body takes over, then the answer.
    body.sent(4 * MiB)
    body.sending(false)
    expect(vi.getTimerCount()).toBe(0)
    progress.complete(2, 4 * MiB)
    const transferred = events.map((event) => event.transferredBytes)
    expect(transferred).toEqual([...transferred].sort((a, b) => a - b))
    expect(events.at(-1)).toEqual({ transferredBytes: 8 * MiB, totalBytes: 8 * MiB })
  })

  it('never passes 90 % of a part before its answer, and never goes back after a real report', () => {
    const { progress, events } = tracker(4 * MiB)
    const body = progress.body(1, 4 * MiB)
    body.sending(true)
    vi.advanceTimersByTime(60_000)
    expect(events.at(-1)!.transferredBytes).toBe(Math.floor(4 * MiB * 0.9))
    expect(vi.getTimerCount()).toBe(0)
    // A retry's lower report counts nothing new; the estimate stays shown.
    body.sending(false)
    body.sending(true)
    body.sent(MiB)
    expect(events.at(-1)!.transferredBytes).toBe(Math.floor(4 * MiB * 0.9))
    body.sending(false)
    progress.complete(1, 4 * MiB)
    expect(events.at(-1)).toEqual({ transferredBytes: 4 * MiB, totalBytes: 4 * MiB })
  })

  it('counts a body the transport reports wholly sent as 90 % of its part until the answer', () => {
    // Chromium reports bytes handed to the socket: on a fast machine its buffers take a whole part at once.
    const { progress, events } = tracker(8 * MiB, () => undefined)
    const body = progress.body(1, 4 * MiB)
    body.sending(true)
    body.sent(4 * MiB)
    expect(events.at(-1)).toEqual({ transferredBytes: Math.floor(4 * MiB * 0.9), totalBytes: 8 * MiB })
    body.sending(false)
    progress.complete(1, 4 * MiB)
    expect(events.at(-1)).toEqual({ transferredBytes: 4 * MiB, totalBytes: 8 * MiB })
  })

  it('runs no timer while the transport reports as it goes, nor before the pace is known', () => {
    const reporting = tracker(4 * MiB)
    const body = reporting.progress.body(1, 4 * MiB)
    body.sending(true)
    for (let sent = 64 * 1024; sent < 4 * MiB; sent += 64 * 1024) {
      vi.advanceTimersByTime(20)
      body.sent(sent)
    }
    expect(vi.getTimerCount()).toBe(0)
    expect(reporting.events.some((event) => event.estimatedBytes !== undefined)).toBe(false)
    const unknownPace = tracker(4 * MiB, () => undefined)
    unknownPace.progress.body(1, 4 * MiB).sending(true)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a listener that throws during an estimate stops the upload at the next report', () => {
    const { progress, list } = tracker(8 * MiB)
    list.add(() => {
      throw new Error('listener broke')
    })
    const body = progress.body(1, 4 * MiB)
    body.sending(true)
    vi.advanceTimersByTime(ESTIMATE_TICK_MS * 4)
    expect(vi.getTimerCount()).toBe(0)
    body.sending(false)
    let thrown: unknown
    try {
      progress.complete(1, 4 * MiB)
    } catch (error) {
      thrown = error
    }
    expect(isUploadError(thrown, 'callback')).toBe(true)
  })
})

describe('a queue item passes the estimate on', () => {
  const controls = {} as ItemControls
  function uploadingItem(id: string): QueueItem {
    const file = new File([new Uint8Array(8)], `${id}.bin`)
    const item = new QueueItem(controls, { id, file: { name: file.name, size: 8 * MiB, type: '', lastModified: 0, sample: '' }, params: {}, state: 'queued', bytesDone: 0, order: 0 }, file)
    item.status = { state: 'uploading' }
    return item
  }

  it('marks the estimated share of the shown figure, and drops it once real bytes or the answer take over', () => {
    const item = uploadingItem('a')
    item.attemptProgress(MiB, 0, MiB / 2)
    expect(item.progress()).toMatchObject({ transferredBytes: MiB, estimatedBytes: MiB / 2 })
    // A lower figure (a retry) does not replace the shown one, nor its share.
    item.attemptProgress(MiB / 4, 10)
    expect(item.progress()).toMatchObject({ transferredBytes: MiB, estimatedBytes: MiB / 2 })
    item.attemptProgress(2 * MiB, 20)
    expect(item.progress().estimatedBytes).toBeUndefined()
    const other = uploadingItem('b')
    other.attemptProgress(MiB, 0, 256)
    item.attemptProgress(3 * MiB, 30, 512)
    expect(sumProgress([item.progress(), other.progress()])).toMatchObject({ transferredBytes: 4 * MiB, estimatedBytes: 768 })
    item.complete()
    expect(item.progress()).toMatchObject({ transferredBytes: 8 * MiB })
    expect(item.progress().estimatedBytes).toBeUndefined()
  })
})
