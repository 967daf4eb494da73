import { defineConfig } from '@playwright/test';

/**
 * `web`: the real browser-mode host (started once by playwright/global-setup.ts through the CLI) driven
 * with Debian's Chromium. `electron`: the desktop shell; its spec skips, saying why, where Electron's
 * binary or the built shell (npm run build:electron) is missing.
 */
export default defineConfig({
  testDir: './playwright',
  outputDir: './test-results',
  globalSetup: './playwright/global-setup.ts',
  workers: 1,
  retries: 0,
  fullyParallel: false,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    locale: 'en-US',
    colorScheme: 'light',
    viewport: { width: 1366, height: 860 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'web',
      testIgnore: /electron[\\/]/,
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.DISTILLERY_CHROMIUM ?? '/usr/bin/chromium',
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
        },
      },
    },
    {
      name: 'electron',
      testMatch: /electron[\\/].*\.spec\.ts$/,
    },
  ],
});
