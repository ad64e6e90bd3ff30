// The hashing worker's source, for a `blob:` worker. The library build replaces this module with
// the bundled, self-contained worker's text (vite.config.ts); from source (dev server, tests) the
// blob worker imports the worker module by its URL.
export default `import ${JSON.stringify(new URL('./hash.worker.ts', import.meta.url).href)}`
