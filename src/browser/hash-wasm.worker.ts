// The same worker as hash.worker.ts, under the name apps copied when hash-wasm was opt-in.
import { serveDigests } from './serve-digests.js'

serveDigests()
