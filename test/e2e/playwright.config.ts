import { defineConfig } from '@playwright/test'
import { chromiumArgs, chromiumPath } from '../setup/chromium.js'

// Page-level tests: reloads, browser restarts, file pickers and the demo, in Debian's Chromium.
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../../test-results/playwright',
  timeout: 120_000,
  workers: 1,
  globalSetup: './kodo-setup.ts',
  webServer: {
    command: 'npx vite --port 5199 --strictPort',
    url: 'http://127.0.0.1:5199/test/e2e/pages/upload.html',
    reuseExistingServer: !process.env.CI,
    cwd: '../..',
  },
  use: {
    baseURL: 'http://127.0.0.1:5199/',
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath(), args: chromiumArgs },
  },
})
