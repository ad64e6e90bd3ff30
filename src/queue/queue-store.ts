import type { ObjectParams } from '../context/object-params.js'
import type { FileHandleLike, FileIdentity } from './file-identity.js'
import type { ItemState } from './item-status.js'

/** The parts of `ObjectParams` that can be stored (no signal). */
export type StoredParams = Omit<ObjectParams, 'signal'>

/** How one file goes up, when it differs from the queue's uploader options (kept with the item, so a resume uses the same layout). */
export interface ItemPlan {
  multiPartsVersion?: 'v1' | 'v2'
  partSize?: number
  /** Parts at once for this file (the queue's lanes still bound the sum). */
  concurrency?: number
}

/** One queue item as kept across reloads. */
export interface StoredItem {
  id: string
  file: FileIdentity
  params: StoredParams
  plan?: ItemPlan
  /** Kept when the file came as a handle: the file is read again after a reload without the user choosing it. */
  handle?: FileHandleLike
  /** The state when last saved (a running state means the page went away mid-upload). */
  state: ItemState
  bytesDone: number
  /** Position in the queue: lower goes first. */
  order: number
}

/** Where the queue keeps its items (the browser default is IndexedDB, next to the resumable records). */
export interface QueueStore {
  list(): Promise<StoredItem[]>
  put(item: StoredItem): Promise<void>
  delete(id: string): Promise<void>
}

/** Keeps items for the life of the page only. */
export function memoryQueueStore(): QueueStore {
  const items = new Map<string, StoredItem>()
  return {
    list: async () => [...items.values()],
    put: async (item) => void items.set(item.id, item),
    delete: async (id) => void items.delete(id),
  }
}
