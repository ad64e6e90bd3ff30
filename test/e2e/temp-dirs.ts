import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const made: string[] = []

/** A new temporary folder for a test's files (tens of MiB, a browser profile); `removeTempDirs` deletes it. */
export function tempDir(prefix = 'qum-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

/** Deletes every folder `tempDir` made: a spec's `test.afterEach`. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
}
