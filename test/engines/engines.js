// @ts-check
// The engines the suite runs in, what each needs on disk, and how to install that (Debian, as root).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chromiumPath } from '../setup/chromium.js'
import { launchChromium } from './drivers/chromium.js'
import { FIREFOX_PATH, launchFirefox } from './drivers/firefox.js'
import { launchWebKit, MINIBROWSER, WEBKIT_DRIVER } from './drivers/webkit.js'

/**
 * @typedef {object} Engine
 * @property {string} name
 * @property {() => string[]} binaries files that must exist
 * @property {string[]} packages the Debian packages that bring them
 * @property {() => Promise<import('./drivers/page.js').EnginePage>} launch
 */

/** @type {Engine[]} */
export const engines = [
  { name: 'chromium', binaries: () => [chromiumPath()], packages: ['chromium'], launch: launchChromium },
  { name: 'firefox', binaries: () => [FIREFOX_PATH], packages: ['firefox-esr'], launch: launchFirefox },
  { name: 'webkit', binaries: () => [WEBKIT_DRIVER, MINIBROWSER, '/usr/bin/xvfb-run'], packages: ['webkit2gtk-driver', 'xvfb'], launch: launchWebKit },
]

/**
 * Installs the engine's packages when a binary is missing and we are root on Debian.
 * @param {Engine} engine
 * @returns {string | undefined} why the engine cannot run, or undefined when it can
 */
export function ensureEngine(engine) {
  const missing = () => engine.binaries().filter((path) => !existsSync(path))
  if (missing().length === 0) return undefined
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log(`${engine.name} is missing: apt-get install -y ${engine.packages.join(' ')}`)
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    const install = () => spawnSync('apt-get', ['install', '-y', '-qq', ...engine.packages], { stdio: 'inherit', env }).status
    if (install() !== 0) {
      spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
      install()
    }
  }
  const stillMissing = missing()
  return stillMissing.length === 0 ? undefined : `missing ${stillMissing.join(', ')} (Debian: apt-get install -y ${engine.packages.join(' ')})`
}
