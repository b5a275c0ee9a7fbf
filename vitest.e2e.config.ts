// Browser end-to-end tests (npm run test:e2e): Debian's chromium, driven by playwright-core, against
// the real web host (npm run app:web) with the real services and the SoftHSM test tokens.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // One browser and one host at a time: the machine has two cores shared with the services.
    fileParallelism: false,
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/reporters/closing-line-reporter.ts'],
  },
});
