// @ts-check
// Random test files on disk, handed to the page as file-backed Files (in-memory Blobs this large
// break Chromium's blob quota), with the Kodo hash a correct upload must produce.
import { randomFillSync } from 'node:crypto'
import { openSync, writeSync, closeSync } from 'node:fs'
import { join } from 'node:path'
import { BlockHasher, qetagFromDigests } from '../../src/kodo-server/qetag.js'

const CHUNK = 16 << 20

/**
 * @param {string} dir
 * @param {string} name
 * @param {number} size
 * @returns {{ path: string, size: number, qetag: string }}
 */
export function writeTestFile(dir, name, size) {
  const path = join(dir, name)
  const fd = openSync(path, 'w')
  const hasher = new BlockHasher()
  const chunk = Buffer.alloc(CHUNK)
  for (let written = 0; written < size; written += CHUNK) {
    const bytes = chunk.subarray(0, Math.min(CHUNK, size - written))
    randomFillSync(bytes)
    hasher.update(bytes)
    writeSync(fd, bytes)
  }
  closeSync(fd)
  return { path, size, qetag: qetagFromDigests(hasher.digests()) }
}

/** @typedef {ReturnType<typeof writeTestFile>} TestFile */
