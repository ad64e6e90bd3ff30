// @ts-check
// Size of what an app ships: src/index.ts built minified, once with the dependencies left as imports
// (the library's own code) and once with them bundled; the hashing worker is its own chunk.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'

const ROOT = new URL('../../', import.meta.url).pathname
const DEPENDENCIES = Object.keys(JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).dependencies ?? {})

/** @typedef {{ minBytes: number, gzipBytes: number }} Size */

/**
 * @param {string} entry
 * @param {boolean} bundleDependencies
 * @returns {Promise<{ main: Size, worker: Size }>}
 */
async function measure(entry, bundleDependencies) {
  /** @param {string} id */
  const external = (id) => !bundleDependencies && DEPENDENCIES.some((dep) => id === dep || id.startsWith(`${dep}/`))
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    // An app build, not library mode: library mode keeps whitespace in ES output.
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      modulePreload: false,
      rollupOptions: { input: entry, preserveEntrySignatures: 'strict', external },
    },
    worker: { format: 'es', rollupOptions: { external } },
  })
  const files = (Array.isArray(output) ? output : [output]).flatMap((result) => ('output' in result ? result.output : []))
  /** @param {(name: string) => boolean} match */
  const sizeOf = (match) => {
    const code = files.filter((file) => match(file.fileName)).map((file) => ('code' in file ? file.code : String(file.source))).join('')
    return { minBytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).length }
  }
  const isWorker = (/** @type {string} */ name) => /worker.*\.js$/.test(name)
  return { main: sizeOf((name) => name.endsWith('.js') && !isWorker(name)), worker: sizeOf(isWorker) }
}

/** @param {string} [librarySrc] Another copy of src/ (see build-page.js). */
export async function bundleSizes(librarySrc = `${ROOT}src`) {
  const entry = join(resolve(librarySrc), 'index.ts')
  return { ownCode: await measure(entry, false), withDependencies: await measure(entry, true) }
}

/** @typedef {Awaited<ReturnType<typeof bundleSizes>>} BundleSizes */
