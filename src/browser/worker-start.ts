export type { Md5Engine } from '../hashing/md5.js'

/**
 * Starts a worker from its file next to the library's module, in the literal
 * `new Worker(new URL('./x.js', import.meta.url), { type: 'module' })` form that Vite, webpack and
 * Parcel detect and emit. The library build keeps this form as is, pointing at `./hash.worker.js`
 * (see vite.config.ts). The same worker serves both MD5 engines: each job names its engine.
 */
export const startWorkerFromFile = (): Worker => new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module' })

/**
 * A `blob:` URL holding the worker's whole source: it loads wherever the page is served from
 * (another origin, a bundler that did not emit the file, no `import.meta`), unless a
 * Content-Security-Policy forbids `blob:` workers. The source is its own chunk, fetched only when
 * the worker file could not be loaded.
 */
export async function inlinedWorkerUrl(): Promise<string> {
  const { default: source } = await import('./hash.worker.source.js')
  return URL.createObjectURL(new Blob([source], { type: 'text/javascript' }))
}
