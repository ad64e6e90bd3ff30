import { readFileSync } from 'node:fs'
import { build, type Plugin } from 'vite'
import { defineConfig } from 'vitest/config'
import { playwright } from '@vitest/browser-playwright'
import { chromiumPath, chromiumArgs } from './test/setup/chromium.js'

// The app's bundler brings these once for the whole app (ky's way); the workers bundle their own.
const dependencies = Object.keys(JSON.parse(readFileSync('package.json', 'utf8')).dependencies)
const isDependency = (id: string) => dependencies.some((name) => id === name || id.startsWith(`${name}/`))

/**
 * The library build's hashing workers. Each is bundled alone (it imports nothing, so a copied file
 * works too), written as dist/<name>.js with no content hash; the spark-md5 one is also inlined as
 * text into the hash.worker.source.js chunk for the blob: fallback. The main entry keeps the literal
 * `new Worker(new URL('./<name>.js', import.meta.url), { type: 'module' })` that bundlers detect:
 * Vite's own worker handling would rewrite it, so it is hidden from Vite and put back at the end.
 */
function libraryWorkers(): Plugin {
  const sources = new Map<string, string>()
  return {
    name: 'library-workers',
    apply: 'build',
    enforce: 'pre',
    async buildStart() {
      for (const name of ['hash.worker', 'hash-wasm.worker']) {
        const entry = `src/browser/${name}.ts`
        // A worker imports nothing: its lazy parts (the JavaScript SHA-1) are inlined.
        const rollupOptions = { input: entry, output: { entryFileNames: `${name}.js`, codeSplitting: false } }
        const [result] = [await build({ configFile: false, logLevel: 'warn', build: { write: false, minify: true, target: 'es2022', rollupOptions } })].flat()
        const code = 'output' in result ? result.output[0].code : ''
        sources.set(name, code)
        this.emitFile({ type: 'asset', fileName: `${name}.js`, source: code })
      }
    },
    load(id) {
      const source = /\/src\/browser\/(.+\.worker)\.source\.ts$/.exec(id)
      if (source) return `export default ${JSON.stringify(sources.get(source[1]))}`
    },
    transform(code, id) {
      if (!id.endsWith('/src/browser/worker-start.ts')) return
      return { code: code.replace(/new URL\('\.\/(.+?\.worker)\.ts', import\.meta\.url\)/g, '__LIBRARY_WORKER_URL__("$1")'), map: null }
    },
    renderChunk(code) {
      return { code: code.replace(/__LIBRARY_WORKER_URL__\("(.+?)"\)/g, "new URL('./$1.js', import.meta.url)"), map: null }
    },
  }
}

// One config for the library build, the demo dev server and both Vitest projects.
// `vite build` writes the package's dist/ (dependencies left as imports); `vite build --mode cdn`
// writes dist/cdn/, the same library with its dependencies bundled, for a <script type="module"> from a CDN.
export default defineConfig(({ mode }) => ({
  // Relative asset URLs: the worker is found next to dist/index.js wherever dist/ is served from.
  base: './',
  server: { host: '127.0.0.1' },
  worker: { format: 'es' },
  // Pre-bundled at start: found later (the hash worker's import of spark-md5), Vite would re-optimize mid-test.
  optimizeDeps: { include: ['ky', 'idb-keyval', 'spark-md5', 'hash-wasm'] },
  plugins: [libraryWorkers()],
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: 'index' },
    target: 'es2022',
    sourcemap: mode !== 'cdn',
    outDir: mode === 'cdn' ? 'dist/cdn' : 'dist',
    rollupOptions: { external: mode === 'cdn' ? [] : isDependency, output: { chunkFileNames: '[name].js' } },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          environment: 'node',
          include: ['test/server/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          // The core in Node with a fake transport and a fake hasher: no browser, no server.
          name: 'core',
          environment: 'node',
          include: ['test/core/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/setup/kodo-global-setup.ts'],
          setupFiles: ['test/setup/browser-gc.ts'],
          // The tests share one Kodo server, its request log and its fault rules: one file at a time.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            instances: [{ browser: 'chromium' }],
            provider: playwright({ launchOptions: { executablePath: chromiumPath(), args: chromiumArgs } }),
          },
        },
      },
    ],
  },
}))
