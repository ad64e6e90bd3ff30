// Chromium keeps a test page's Blobs in memory (Playwright's contexts do not page them to disk) and
// copies the bytes of every slice of an in-memory Blob; past about 512 MiB of live Blob memory a Blob
// reads as NotReadableError. A file's Blobs, and their parts' slices, are freed only when the garbage
// collector runs, which Blob memory does not prompt: it runs around every file (Chromium starts with
// --expose-gc, test/setup/chromium.js). Big sources are files (helpers.ts, randomFile).
import { afterAll, beforeAll } from 'vitest'

const collect = () => (globalThis as { gc?: () => void }).gc?.()
beforeAll(collect)
afterAll(collect)
