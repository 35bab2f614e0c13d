import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the built app (`vite preview`) in a real Chromium: Debian's /usr/bin/chromium (or
 * PAIRSCOPE_CHROMIUM), falling back to Playwright's own browser only where neither exists. Never
 * `npx playwright install` on machines without internet.
 */
const executablePath =
  process.env.PAIRSCOPE_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const port = Number(process.env.PAIRSCOPE_E2E_PORT ?? 4173);

const baseArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: 'test/e2e',
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 60_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'on-first-retry',
    launchOptions: { executablePath, args: baseArgs },
  },
  projects: [
    { name: 'wasm', grepInvert: /@webgpu/ },
    {
      // SwiftShader's software WebGPU adapter: a correctness check only, far slower than WASM.
      name: 'webgpu',
      grep: /@webgpu/,
      use: { launchOptions: { executablePath, args: [...baseArgs, '--enable-unsafe-webgpu'] } },
    },
  ],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
