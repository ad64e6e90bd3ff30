import { findRecord } from './find-record.js'
import { uploadLockName } from './file-identity.js'
import { asUploadError } from './item-status.js'
import { uploadItem } from './item-upload.js'
import type { QueueMessage } from './queue-channel.js'
import type { QueueInternals } from './queue-internals.js'
import type { UploadResult } from '../uploaders/upload-result.js'
import type { QueueItem } from './queue-item.js'

/** Uploads one item under its tab lock, telling the other tabs how it goes; a lock held elsewhere makes it wait. */
export async function runItem(queue: QueueInternals, item: QueueItem, signal: AbortSignal, stopped: () => 'pause' | 'cancel' | undefined): Promise<void> {
  const lock = uploadLockName(queue.bucket, item.objectName, item.file)
  const tell = (final: boolean, result?: UploadResult) =>
    queue.presence.post({ lock, name: item.name, size: item.size, objectName: item.objectName, state: item.state, bytes: item.progress().transferredBytes, result }, final)
  let lastProgress = Date.now()
  const stallWatch = setInterval(() => {
    if (item.state === 'uploading' && Date.now() - lastProgress > queue.stallNoticeMs) queue.setStatus(item, { state: 'stalled' })
  }, 1_000)
  try {
    const record = await findRecord(queue.recorder(), queue.bucket, item.file, item.params)
    const outcome = await queue.locks.tryWith(lock, async () => {
      const result = await uploadItem(item, {
        manager: queue.manager,
        options: { ...queue.options, ...item.plan },
        gate: queue.budget.gate(item),
        lanes: queue.budget.total,
        recordedBytes: record?.bytesDone ?? 0,
        signal,
        setStatus: (status) => signal.aborted || queue.setStatus(item, status),
        progressed: () => {
          lastProgress = Date.now()
          queue.emit('progress', item)
          tell(false)
        },
        part: (partNumber, state) => queue.emit('part', { item, partNumber, state }),
        now: () => Date.now(),
      })
      item.complete()
      queue.setStatus(item, { state: 'done', result })
      tell(true, result) // before the lock goes, so a tab waiting for it learns it is done
      return result
    })
    if (!outcome.acquired) return waitForOtherTab(queue, item, lock)
    void queue.forget(item)
    queue.emit('done', item)
  } catch (error) {
    if (stopped()) return
    queue.setStatus(item, { state: 'failed', error: asUploadError(error) })
    queue.emit('failed', item)
  } finally {
    clearInterval(stallWatch)
    if (!item.finished || item.state === 'failed') tell(true)
  }
}

/** Another tab holds the item's lock: wait until it is free (unless the queue stops then), following that tab's progress. */
function waitForOtherTab(queue: QueueInternals, item: QueueItem, lock: string): void {
  queue.setStatus(item, { state: 'busy-elsewhere' })
  if (queue.whenBusy === 'stop') return
  const controller = new AbortController()
  queue.waiting.set(item, controller)
  queue.locks.waitUntilFree(lock, controller.signal).then(
    // The other tab's last word ("done") may still be on its way: give it a moment.
    () => setTimeout(() => item.state === 'busy-elsewhere' && queue.requeue(item), 100),
    () => {},
  ).finally(() => queue.waiting.delete(item))
}

/** A message from another tab: items waiting for it follow its progress, and finish when it is done. */
export function heardFromTab(queue: QueueInternals, message: QueueMessage): void {
  for (const item of queue.items()) {
    if (item.state !== 'busy-elsewhere' || uploadLockName(queue.bucket, item.objectName, item.file) !== message.lock) continue
    item.followElsewhere(message.bytes)
    if (message.state === 'done') {
      queue.waiting.get(item)?.abort()
      item.complete()
      queue.setStatus(item, { state: 'done', result: message.result })
      void queue.forget(item)
      queue.emit('done', item)
    } else queue.emit('progress', item)
  }
  queue.emit('elsewhere', queue.presence.elsewhere())
}
