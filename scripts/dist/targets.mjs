/**
 * What scripts/dist/build.mjs compiles, and where: shared with the freshness check that
 * bin/flowbook.js and scripts/start.mjs run at every start, so it imports nothing heavy.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Written last by a build: which sources (with mtime and size) the bundle was built from. */
export const MANIFEST = 'manifest.json';

/** A change to any of these (besides the bundle's own sources) also calls for a new build. */
const BUILD_INPUTS = ['package-lock.json', 'tsconfig.json', 'scripts/dist/build.mjs'];

export const TARGETS = {
  // One CommonJS file, so bin/flowbook.js can run it through V8's code cache (code-cache.mjs):
  // Node 20 keeps no code cache for ES modules, and compiling them was a fifth of a `run`.
  cli: { entry: 'cli/main.ts', name: 'main', format: 'cjs', alsoDependsOn: BUILD_INPUTS },
  // CommonJS too, started by a launcher (`server.js`) that also caches the code of the
  // CommonJS modules it loads (Next.js's server, the app's routes): see code-cache.mjs.
  server: {
    entry: 'server.ts',
    name: 'server',
    format: 'cjs',
    launcher: true,
    alsoDependsOn: BUILD_INPUTS,
    // The SQLite writer's worker thread, compiled beside the server so the thread does not compile TypeScript when it starts.
    workers: { 'sqlite-writer': 'lib/db/hot-writer-sqlite-worker.ts' },
  },
};

export function distDir(name) {
  return path.join(ROOT, 'dist', name);
}
