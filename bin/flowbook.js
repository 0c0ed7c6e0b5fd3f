#!/usr/bin/env node
// `flowbook`: runs the CLI compiled to dist/cli (scripts/dist/build.mjs, run at npm install)
// through V8's code cache (scripts/dist/code-cache.mjs). When a source changed since, it is
// compiled again first (once, well under a second). When it cannot be compiled here (no
// esbuild, a read-only install), tsx runs the TypeScript sources instead: slower to start,
// same behaviour.
import { compiledEntry } from '../scripts/dist/fresh.mjs';
import { loadCommonJs } from '../scripts/dist/code-cache.mjs';

let main;
let compiled;
try {
  compiled = loadCommonJs(await compiledEntry('cli'));
  ({ main } = compiled.exports);
} catch (err) {
  const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write(`flowbook: the compiled CLI is missing and cannot be built (${reason}); run \`npm install\` in the flowbook folder\n`);
    process.exit(2);
  }
  process.stderr.write(`flowbook: running from the TypeScript sources (${reason}); \`npm run build:dist\` makes starts fast again\n`);
  register();
  ({ main } = await import('../cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
compiled?.saveIfNew();
