import type { QueueChannel, QueueMessage } from '../queue/queue-channel.js'

/** The queue's messages between tabs over a BroadcastChannel. */
export function broadcastQueueChannel(channel: BroadcastChannel): QueueChannel {
  return {
    post: (message) => channel.postMessage(message),
    listen(listener) {
      const onMessage = (event: MessageEvent<QueueMessage>) => listener(event.data)
      channel.addEventListener('message', onMessage)
      return () => channel.removeEventListener('message', onMessage)
    },
  }
}
