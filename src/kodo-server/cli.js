#!/usr/bin/env node
// @ts-check
// `npm run kodo` and the package's `qiniu-kodo-server` bin: runs the local Kodo server until Ctrl-C.
import { parseArgs } from 'node:util'
import { ADMIN_SECRET_HEADER, startKodoServer } from './server.js'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9400' },
    host: { type: 'string', default: '127.0.0.1' },
    data: { type: 'string' },
    throttle: { type: 'string' },
    latency: { type: 'string' },
    fault: { type: 'string', multiple: true, default: [] },
    'admin-secret': { type: 'string', default: process.env.KODO_ADMIN_SECRET },
  },
})

const server = await startKodoServer({
  port: Number(values.port),
  host: values.host,
  dataDir: values.data,
  throttleBytesPerSec: values.throttle === undefined ? null : Number(values.throttle),
  latencyMs: Number(values.latency ?? 0),
  adminSecret: values['admin-secret'] || undefined,
})
for (const rule of values.fault ?? []) server.addFaults(JSON.parse(rule))

console.log(`Kodo server   ${server.url}
access key    ${server.accessKey}
secret key    ${server.secretKey}
bucket        ${server.bucket}
token (1 day) ${server.makeToken({ expiresIn: 86400 })}
admin secret  ${server.adminSecret}
admin         ${server.url}/_admin/…  (header ${ADMIN_SECRET_HEADER}: <admin secret>)`)

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0))
  })
}
