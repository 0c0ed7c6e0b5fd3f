/**
 * The fault suite (`npm run test:faults`): servers killed mid-run, schedulers racing on one
 * database, a database held busy, a cut transport, fuzzed parsers. Slow cases run only with
 * FLOWBOOK_FAULTS_SLOW=1 (see README, Testing).
 */
import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['lib/**/*.fault.test.ts', 'test/faults/**/*.test.ts'],
    exclude: ['node_modules', 'e2e/**', '.next/**'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
