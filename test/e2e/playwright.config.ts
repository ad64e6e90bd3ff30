import { defineConfig } from '@playwright/test'
import { chromiumArgs, chromiumPath } from '../setup/chromium.js'

// E2E_PORT lets two checkouts run their suites side by side.
const port = Number(process.env.E2E_PORT ?? 5199)

// Page-level tests: reloads, browser restarts, file pickers and the demo, in Debian's Chromium.
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../results/playwright',
  timeout: 120_000,
  workers: 1,
  globalSetup: './kodo-setup.ts',
  webServer: {
    command: `npx vite --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/test/e2e/pages/upload.html`,
    reuseExistingServer: !process.env.CI,
    cwd: '../..',
  },
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath(), args: chromiumArgs },
  },
})
