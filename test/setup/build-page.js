// @ts-check
// Builds a test page (the benchmark's, the soak's) once with Vite, minified as an app would ship it,
// so no dev-server transform work competes with the uploads for the 2 cores.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'vite'

/**
 * @param {string} pageDir the folder holding the page's index.html
 * @param {string} [librarySrc] Another copy of the library's src/ to benchmark (a patch being tried);
 * it must sit below a folder with node_modules, as the real one does.
 * @returns {Promise<string>} The folder holding index.html and its assets.
 */
export async function buildPage(pageDir, librarySrc) {
  const outDir = await mkdtemp(join(tmpdir(), 'qum-page-'))
  await build({
    configFile: false,
    logLevel: 'warn',
    root: pageDir,
    base: './',
    build: { outDir, emptyOutDir: true, target: 'es2022', rollupOptions: { input: join(pageDir, 'index.html') } },
    worker: { format: 'es' },
    // The page imports the library as ../../../src/…; point those imports at the other copy.
    resolve: librarySrc ? { alias: [{ find: /^(\.\.\/)+src\//, replacement: `${resolve(librarySrc)}/` }] } : {},
  })
  return outDir
}
