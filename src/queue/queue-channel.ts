import type { UploadResult } from '../uploaders/upload-result.js'
import type { ItemState } from './item-status.js'

/** What a tab tells the others about an upload it runs. */
export interface QueueMessage {
  /** The upload's lock name: the same file to the same key in every tab. */
  lock: string
  /** The tab that sends. */
  tab: string
  name: string
  size: number
  objectName?: string
  state: ItemState
  bytes: number
  /** `done`: the server's answer, so a tab waiting for the same upload can finish too. */
  result?: UploadResult
}

/** Messages between the tabs of an origin (the browser adapter uses BroadcastChannel). */
export interface QueueChannel {
  post(message: QueueMessage): void
  /** Returns a function that stops listening. */
  listen(listener: (message: QueueMessage) => void): () => void
}

export const noQueueChannel: QueueChannel = { post: () => {}, listen: () => () => {} }
