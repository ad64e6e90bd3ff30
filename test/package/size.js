// @ts-check
// What the built main entry costs an app, minified by esbuild with the dependencies left as imports
// (the app shares them) and chunks split, so the inlined worker source, fetched only on fallback,
// is counted on its own.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'

/**
 * Budgets in bytes of min+gzip, one per app shape below: regression guards a little above what each shape
 * costs today. The target is 12 KB for a typical app; the smallest shape is 14.4 KB (README, Size).
 */
export const SIZE_BUDGETS_GZIP_BYTES = { wholeEntry: 23_000, autoUploaderApp: 17_000, leanAutoUploaderApp: 15_800, leanV2App: 14_800 }

/**
 * Apps as people write them, each an entry bundled against the built package. Lazily loaded chunks
 * (the inlined worker source, the main-thread hashing code, the JavaScript SHA-1) are not counted.
 */
export const APP_SHAPES = {
  /** Every export. */
  wholeEntry: `export * from './dist/index.js'`,
  /** `UploadManager` and its auto uploader: form, V1 and V2, streams. */
  autoUploaderApp: `import { UploadManager } from './dist/index.js'
window.upload = (options, file) => new UploadManager(options).autoUploader().upload(file)`,
  /** An AutoUploader constructed from a `LeanUploadManager` with the form and V2 uploaders: no V1, no streams. */
  leanAutoUploaderApp: `import { AutoUploader, FormUploader, LeanUploadManager, MultiPartsV2Uploader } from './dist/index.js'
window.upload = (options, file) => new AutoUploader(new LeanUploadManager(options), { form: FormUploader, multiParts: MultiPartsV2Uploader }).upload(file)`,
  /** V2 multi-part only, driven by the concurrent scheduler. */
  leanV2App: `import { BlobDataSource, ConcurrentMultiPartsUploaderScheduler, LeanUploadManager, MultiPartsV2Uploader } from './dist/index.js'
window.upload = (options, file) => new ConcurrentMultiPartsUploaderScheduler(new MultiPartsV2Uploader(new LeanUploadManager(options))).upload(new BlobDataSource(file))`,
}

/** @typedef {{ minBytes: number, gzipBytes: number }} Size */

/** @param {string} root the package's folder, with dist/ built */
export async function mainEntrySizes(root) {
  const external = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies)
  /** @param {string} contents an app's entry @returns {Promise<Record<string, Size>>} */
  const build = async (contents) => {
    const { outputFiles } = await esbuild.build({
      stdin: { contents, resolveDir: root, sourcefile: 'app.js' },
      bundle: true,
      format: 'esm',
      minify: true,
      splitting: true,
      outdir: join(root, 'dist-size'), // nothing is written
      write: false,
      external,
      logLevel: 'error',
    })
    return Object.fromEntries(outputFiles.map((file) => [file.path.split('/').pop()?.replace(/-[A-Z0-9]{8}\.js$/, '.js'), { minBytes: file.contents.length, gzipBytes: gzipSync(file.contents, { level: 9 }).length }]))
  }
  /** @type {Record<string, Size>} */
  const sizes = {}
  for (const [shape, contents] of Object.entries(APP_SHAPES)) {
    const chunks = await build(contents)
    sizes[shape] = /** @type {Size} */ (chunks['stdin.js'])
    /** The chunk with the spark-md5 worker's inlined source, loaded only when the worker file cannot be. */
    if (shape === 'wholeEntry') sizes.inlinedWorkerChunk = /** @type {Size} */ (chunks['hash.worker.source.js'])
  }
  return sizes
}
