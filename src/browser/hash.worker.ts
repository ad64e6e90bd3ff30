import { serveDigests } from './serve-digests.js'

serveDigests()
