import { defineConfig } from '@playwright/test';

// The server under test is started by scripts/e2e.sh (not by Playwright's webServer), which
// passes its origin in MITREDEN_E2E_URL.
const baseURL = process.env.MITREDEN_E2E_URL;
if (!baseURL) {
  throw new Error(
    'MITREDEN_E2E_URL is not set: run the end-to-end tests through scripts/e2e.sh ' +
      '(or set it to the origin of a running mitreden server, e.g. http://127.0.0.1:3000)',
  );
}

// Debian's Chromium; Playwright never downloads a browser here
// (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 at npm install time).
const launchOptions = {
  executablePath: process.env.MITREDEN_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--headless',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  // list for people; json so that scripts/e2e.sh can print the closing 'N passed, N failed' line.
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    browserName: 'chromium',
    launchOptions,
    locale: 'de-DE',
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'js', use: { javaScriptEnabled: true } },
    { name: 'nojs', use: { javaScriptEnabled: false } },
  ],
});
