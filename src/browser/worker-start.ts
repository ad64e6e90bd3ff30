/** Which MD5 engine the hashing workers run. */
export type Md5Engine = 'spark-md5' | 'hash-wasm'

/**
 * Starts a worker from its file next to the library's module, in the literal
 * `new Worker(new URL('./x.js', import.meta.url), { type: 'module' })` form that Vite, webpack and
 * Parcel detect and emit. The library build keeps this form as is, pointing at `./hash.worker.js`
 * (see vite.config.ts).
 */
export const startWorkerFromFile: Record<Md5Engine, () => Worker> = {
  'spark-md5': () => new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module' }),
  'hash-wasm': () => new Worker(new URL('./hash-wasm.worker.ts', import.meta.url), { type: 'module' }),
}

/**
 * A `blob:` URL holding the spark-md5 worker's whole source: it loads wherever the page is served
 * from (another origin, a bundler that did not emit the file, no `import.meta`), unless a
 * Content-Security-Policy forbids `blob:` workers. The source is its own chunk, fetched only when
 * the worker file could not be loaded. It serves the opt-in hash-wasm engine too (same digests):
 * inlining hash-wasm's worker would cost apps that never split chunks another 8.6 KB gzip.
 */
export async function inlinedWorkerUrl(): Promise<string> {
  const { default: source } = await import('./hash.worker.source.js')
  return URL.createObjectURL(new Blob([source], { type: 'text/javascript' }))
}
