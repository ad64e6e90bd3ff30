// @ts-check
// The local Kodo server in its own process, so its CPU time is its own (process.cpuUsage) and the
// runner's CDP and /proc sampling never delays it. The parent asks over IPC.
import { startKodoServer } from '../../src/kodo-server/server.js'

const server = await startKodoServer()
process.send?.({ url: server.url, bucket: server.bucket, adminHeaders: server.adminHeaders })
process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() })
})
process.on('disconnect', () => void server.close().then(() => process.exit(0)))
