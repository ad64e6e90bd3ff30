// @ts-check
// The rows of the bundler matrix: how each bundler builds the app in test/bundlers/app/ (installed
// next to the packed tarball), with the options a user would start from, and the page that loads it.
import { copyFile, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import commonjs from '@rollup/plugin-commonjs'
import nodeResolve from '@rollup/plugin-node-resolve'
import * as esbuild from 'esbuild'
import { rollup } from 'rollup'
import { build as viteBuild, createServer as viteServer } from 'vite'
import webpack from 'webpack'
import { serveStatic } from '../setup/static-server.js'

/**
 * @typedef {{ app: string, out: string }} Folders `app`: the app with node_modules; `out`: this row's own output folder
 * @typedef {{ url: string, close: () => Promise<void> }} Served the page to open
 * @typedef {{ id: string, bundler: string, setup: string, version: string, lazy?: boolean, serve: (folders: Folders) => Promise<Served> }} Row
 * `lazy`: the app loads the library on the first upload (app/lazy.js), so the page must fetch it as a chunk of its own then.
 */

const require = createRequire(import.meta.url)
const versionOf = (/** @type {string} */ name) => /** @type {string} */ (require(`${name}/package.json`).version)

const page = (/** @type {string} */ script) => `<!doctype html><meta charset="utf-8"><body>${script}</body>`
const moduleScript = (/** @type {string} */ src) => page(`<script type="module" src="${src}"></script>`)
const classicScript = (/** @type {string} */ src) => page(`<script src="${src}"></script>`)

/** Serves a built app's folder with `html` as its page. @param {string} dir @param {string} html @returns {Promise<Served>} */
function serveBuilt(dir, html) {
  return serveStatic(dir, { '/': html }).then(({ url, close }) => ({ url: `${url}/`, close }))
}

/** @param {import('webpack').Configuration} config */
async function runWebpack(config) {
  const stats = await new Promise((resolve, reject) => webpack(config, (error, result) => (error ? reject(error) : resolve(result))))
  if (stats.hasErrors()) throw new Error(stats.toString('errors-only'))
}

/**
 * @param {string} id @param {string} setup @param {'esm' | 'iife'} format
 * @param {{ after?: (folders: Folders) => Promise<void>, lazy?: boolean }} [options] `after`: what the app's build script does next
 * @returns {Row}
 */
function esbuildRow(id, setup, format, { after, lazy = false } = {}) {
  const entry = lazy ? 'lazy.js' : 'main.js'
  return {
    id,
    bundler: 'esbuild',
    setup,
    version: esbuild.version,
    lazy,
    async serve(folders) {
      await esbuild.build({ entryPoints: [join(folders.app, entry)], bundle: true, format, splitting: lazy, minify: true, outdir: folders.out, logLevel: 'error' })
      await after?.(folders)
      return serveBuilt(folders.out, format === 'esm' ? moduleScript(`./${entry}`) : classicScript(`./${entry}`))
    },
  }
}

/** Vite's production build of the page `html` (index.html loads main.js, lazy.html lazy.js). @param {string} html @returns {Row['serve']} */
const viteBuilt = (html) => async ({ app, out }) => {
  await viteBuild({ configFile: false, logLevel: 'warn', root: app, base: './', build: { outDir: out, emptyOutDir: true, rollupOptions: { input: join(app, html) } } })
  return serveStatic(out).then(({ url, close }) => ({ url: `${url}/${html === 'index.html' ? '' : html}`, close }))
}

/** webpack in production mode from `entry`. @param {string} entry @returns {Row['serve']} */
const webpackBuilt = (entry) => async ({ app, out }) => {
  await runWebpack({ mode: 'production', context: app, entry: `./${entry}`, output: { path: out, filename: entry } })
  return serveBuilt(out, classicScript(`./${entry}`))
}

/** Rollup with node-resolve and commonjs from `entry`. @param {string} entry @returns {Row['serve']} */
const rollupBuilt = (entry) => async ({ app, out }) => {
  const bundle = await rollup({ input: join(app, entry), plugins: [nodeResolve({ browser: true }), commonjs()], onwarn: () => {} })
  await bundle.write({ dir: out, format: 'es' })
  await bundle.close()
  return serveBuilt(out, moduleScript(`./${entry}`))
}

/** @type {Row[]} */
export const rows = [
  {
    id: 'vite-build',
    bundler: 'Vite',
    setup: '`vite build`, default config',
    version: versionOf('vite'),
    serve: viteBuilt('index.html'),
  },
  {
    id: 'vite-dev',
    bundler: 'Vite',
    setup: '`vite` dev server, default config',
    version: versionOf('vite'),
    async serve({ app }) {
      const server = await viteServer({ configFile: false, logLevel: 'warn', root: app, server: { host: '127.0.0.1', port: 0 } })
      await server.listen()
      return { url: /** @type {string} */ (server.resolvedUrls?.local[0]), close: () => server.close() }
    },
  },
  {
    id: 'webpack',
    bundler: 'webpack',
    setup: 'production mode, default config',
    version: versionOf('webpack'),
    serve: webpackBuilt('main.js'),
  },
  {
    id: 'webpack-cdn',
    bundler: 'webpack',
    setup: '`output.publicPath` on another origin (a CDN)',
    version: versionOf('webpack'),
    async serve({ app, out }) {
      const cdn = await serveStatic(out, {}, { cors: true })
      // Development mode: this row is about the origin, and minifying twice would double the row's time.
      await runWebpack({ mode: 'development', devtool: false, context: app, entry: './main.js', output: { path: out, filename: 'main.js', publicPath: `${cdn.url}/` } })
      const site = await serveBuilt(out, classicScript(`${cdn.url}/main.js`))
      return { url: site.url, close: async () => void (await Promise.all([site.close(), cdn.close()])) }
    },
  },
  esbuildRow('esbuild-esm', '`--bundle --format=esm`', 'esm'),
  esbuildRow('esbuild-esm-copied-worker', '`--format=esm`, `qiniu-upload-manager/hash.worker.js` copied next to the bundle', 'esm', {
    async after({ app, out }) {
      const appRequire = createRequire(join(app, 'package.json'))
      await copyFile(appRequire.resolve('qiniu-upload-manager/hash.worker.js'), join(out, 'hash.worker.js'))
    },
  }),
  esbuildRow('esbuild-iife', '`--bundle --format=iife` (no `import.meta`)', 'iife'),
  {
    id: 'rollup',
    bundler: 'Rollup',
    setup: '`@rollup/plugin-node-resolve` + `@rollup/plugin-commonjs` (spark-md5 is CommonJS), `output.dir`, format es',
    version: versionOf('rollup'),
    serve: rollupBuilt('main.js'),
  },
  // The library loaded on the first upload, with `import()`: the first bundle does not carry it.
  { id: 'vite-build-lazy', bundler: 'Vite', setup: '`vite build`, library loaded on the first upload', version: versionOf('vite'), lazy: true, serve: viteBuilt('lazy.html') },
  { id: 'webpack-lazy', bundler: 'webpack', setup: 'production mode, library loaded on the first upload', version: versionOf('webpack'), lazy: true, serve: webpackBuilt('lazy.js') },
  esbuildRow('esbuild-esm-lazy', '`--format=esm --splitting`, library loaded on the first upload', 'esm', { lazy: true }),
  { id: 'rollup-lazy', bundler: 'Rollup', setup: 'as above, library loaded on the first upload', version: versionOf('rollup'), lazy: true, serve: rollupBuilt('lazy.js') },
]

/** The app's own files, copied into the folder where the tarball is installed. @param {string} app */
export async function writeApp(app) {
  for (const file of ['upload.js', 'main.js', 'lazy.js', 'index.html']) await writeFile(join(app, file), await readFile(new URL(`./app/${file}`, import.meta.url)))
  // lazy.html: the same page, loading lazy.js.
  await writeFile(join(app, 'lazy.html'), (await readFile(new URL('./app/index.html', import.meta.url), 'utf8')).replace('./main.js', './lazy.js'))
}
