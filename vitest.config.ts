import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Token and PDF tests spawn real tools (SoftHSM, pdfsig, qpdf, openssl); give them room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    // The default output for people, plus the plain closing line CI reads.
    reporters: ['default', './test/reporters/closing-line-reporter.ts'],
  },
});
