// The hash-wasm worker's source, for a `blob:` worker; see hash.worker.source.ts.
export default `import ${JSON.stringify(new URL('./hash-wasm.worker.ts', import.meta.url).href)}`
