import { defineConfig } from 'vitest/config'
import { playwright } from '@vitest/browser-playwright'
import { chromiumPath, chromiumArgs } from './test/setup/chromium.js'

// One config for the library build, the demo dev server and both Vitest projects.
export default defineConfig({
  // Relative asset URLs: the worker is found next to dist/index.js wherever dist/ is served from.
  base: './',
  server: { host: '127.0.0.1' },
  worker: { format: 'es' },
  // Pre-bundled at start: found later (the hash worker's import of spark-md5), Vite would re-optimize mid-test.
  optimizeDeps: { include: ['ky', 'idb-keyval', 'spark-md5', 'hash-wasm'] },
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: 'index' },
    target: 'es2022',
    sourcemap: true,
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
})
