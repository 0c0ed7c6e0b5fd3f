import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['lib/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts', 'app/**/*.test.ts'],
    // The fault suite (servers killed mid-run, racing schedulers, fuzzing) runs on its own: npm run test:faults.
    exclude: ['node_modules', 'e2e/**', '.next/**', '**/*.fault.test.ts', 'test/faults/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start real servers (PostgreSQL, HTTP fixtures, containers): keep files apart.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
