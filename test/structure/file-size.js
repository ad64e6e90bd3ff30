// @ts-check
// One concept per file: `node test/structure/file-size.js` fails on any file in src/ over MAX_LINES lines,
// except the ones in KNOWN_LONG_FILES (at most as long as they are today).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

export const MAX_LINES = 300

/** Files allowed over the limit, with their length: empty since the restructure of issue 12 split the last ones. */
export const KNOWN_LONG_FILES = /** @type {Record<string, number>} */ ({})

/**
 * Every text file under `dir` with its line count, longest first.
 * @param {string} [dir]
 * @returns {Array<{ file: string, lines: number }>}
 */
export function lineCounts(dir = 'src') {
  return listFiles(join(root, dir))
    .map((path) => ({ file: relative(root, path), lines: readFileSync(path, 'utf8').split('\n').length - 1 }))
    .sort((a, b) => b.lines - a.lines)
}

/**
 * The files over the limit that are not allowed to be.
 * @param {Array<{ file: string, lines: number }>} counts
 */
export function tooLong(counts, max = MAX_LINES, known = KNOWN_LONG_FILES) {
  return counts.filter(({ file, lines }) => lines > Math.max(max, known[file] ?? 0))
}

/** @param {string} dir @returns {string[]} */
function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return listFiles(path)
    return /\.(ts|js|json|md)$/.test(name) ? [path] : []
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const counts = lineCounts('src')
  for (const { file, lines } of counts.filter(({ lines }) => lines > MAX_LINES)) {
    console.log(`${file}: ${lines} lines${file in KNOWN_LONG_FILES ? ` (known, at most ${KNOWN_LONG_FILES[file]})` : ''}`)
  }
  const failures = tooLong(counts)
  for (const { file, lines } of failures) console.log(`TOO LONG: ${file} has ${lines} lines (limit ${MAX_LINES}): split it by concept`)
  console.log(failures.length === 0 ? `file size: ok (${counts.length} files, limit ${MAX_LINES} lines)` : `file size: ${failures.length} file(s) too long`)
  process.exit(failures.length === 0 ? 0 : 1)
}
