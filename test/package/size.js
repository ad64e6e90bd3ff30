// @ts-check
// What the built main entry costs an app, minified by esbuild with the dependencies left as imports
// (the app shares them) and chunks split: the chunks an app loads up front are counted, the lazy ones
// (the inlined worker source, the JavaScript SHA-1) on their own.
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'

/**
 * Budgets in bytes of min+gzip, one per app shape below: regression guards a little above what each shape
 * costs today. The target is 12 KB for a typical app; the smallest shape is 18.8 KB (README, Size).
 */
export const SIZE_BUDGETS_GZIP_BYTES = { wholeEntry: 27_900, autoUploaderApp: 21_400, leanAutoUploaderApp: 20_200, leanV2App: 19_000 }

/**
 * Apps as people write them, each an entry bundled against the built package. Lazily loaded chunks
 * (the inlined worker source, the JavaScript SHA-1) are not counted.
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
  /**
   * An app's cost: its entry chunk plus the chunks it imports statically (code it shares with lazy chunks
   * lands in such a chunk, and loads with the entry); chunks it imports dynamically come apart, by name.
   * @param {string} contents an app's entry
   */
  const build = async (contents) => {
    const { outputFiles, metafile } = await esbuild.build({
      stdin: { contents, resolveDir: root, sourcefile: 'app.js' },
      bundle: true,
      format: 'esm',
      minify: true,
      splitting: true,
      outdir: join(root, 'dist-size'), // nothing is written
      write: false,
      metafile: true,
      external,
      logLevel: 'error',
    })
    const outputs = metafile.outputs
    const entry = /** @type {string} */ (Object.keys(outputs).find((path) => outputs[path]?.entryPoint !== undefined))
    /** @type {Set<string>} */
    const eager = new Set()
    for (const queue = [entry]; queue.length > 0; ) {
      const path = /** @type {string} */ (queue.pop())
      if (eager.has(path)) continue
      eager.add(path)
      for (const imported of outputs[path]?.imports ?? []) if (imported.kind === 'import-statement' && !imported.external) queue.push(imported.path)
    }
    const sizeOf = (/** @type {Uint8Array} */ bytes) => ({ minBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length })
    const files = outputFiles.map((file) => ({ path: relative(process.cwd(), file.path), contents: file.contents }))
    // Each file gzipped on its own, as it travels.
    const app = { minBytes: 0, gzipBytes: 0 }
    for (const file of files.filter((file) => eager.has(file.path))) {
      const size = sizeOf(file.contents)
      app.minBytes += size.minBytes
      app.gzipBytes += size.gzipBytes
    }
    const lazy = Object.fromEntries(files.filter((file) => !eager.has(file.path)).map((file) => [file.path.split('/').pop()?.replace(/-[A-Z0-9]{8}\.js$/, '.js'), sizeOf(file.contents)]))
    return { app, lazy }
  }
  /** @type {Record<string, Size>} */
  const sizes = {}
  for (const [shape, contents] of Object.entries(APP_SHAPES)) {
    const { app, lazy } = await build(contents)
    sizes[shape] = app
    /** The chunk with the spark-md5 worker's inlined source, loaded only when the worker file cannot be. */
    if (shape === 'wholeEntry') sizes.inlinedWorkerChunk = /** @type {Size} */ (lazy['hash.worker.source.js'])
  }
  return sizes
}
