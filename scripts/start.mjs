#!/usr/bin/env node
/**
 * `npm start`: prepares what is missing, then runs the server in production mode.
 * - generates the Prisma clients when they are missing or older than the schema;
 * - runs `next build` when there is no build or a source file changed since;
 * - starts the server compiled to dist/server (scripts/dist/build.mjs, compiled again first
 *   when a source changed) with NODE_ENV=production, passing on its own arguments
 *   (`npm start -- --host 0.0.0.0`); where it cannot be compiled, `node --import tsx server.ts`.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { compiledEntry } from './dist/fresh.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const node = process.execPath;

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** Newest modification time under the given paths (files or folders). */
function newest(paths) {
  let max = 0;
  const walk = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const entry of fs.readdirSync(p)) {
        if (entry === 'node_modules' || entry === 'generated' || entry.startsWith('.')) continue;
        walk(path.join(p, entry));
      }
    } else if (/\.(tsx?|mjs|js|css|json)$/.test(p) && !/\.test\.tsx?$/.test(p)) {
      max = Math.max(max, st.mtimeMs);
    }
  };
  for (const p of paths) walk(path.join(root, p));
  return max;
}

function run(args, what) {
  console.log(`flowbook: ${what}…`);
  const res = spawnSync(node, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (res.status !== 0) {
    console.error(`flowbook: ${what} failed (exit ${res.status ?? res.signal})`);
    process.exit(res.status ?? 1);
  }
}

const schemaTime = Math.max(mtime(path.join(root, 'prisma/models.prisma.part')), mtime(path.join(root, 'prisma/generate.mjs')));
const clientTime = Math.min(
  ...['sqlite', 'postgresql'].map((p) => mtime(path.join(root, 'lib/generated/prisma', p, 'client.ts'))),
);
if (clientTime === 0 || clientTime < schemaTime) run([path.join(root, 'prisma/generate.mjs')], 'generating the database clients');

const buildTime = mtime(path.join(root, '.next/BUILD_ID'));
const sourceTime = newest(['app', 'components', 'lib', 'next.config.ts', 'package.json', 'postcss.config.mjs', 'tsconfig.json']);
if (buildTime === 0 || buildTime < sourceTime) {
  run([path.join(root, 'node_modules/next/dist/bin/next'), 'build'], buildTime === 0 ? 'building the web app' : 'sources changed: rebuilding the web app');
}

let server;
try {
  server = [await compiledEntry('server')];
} catch (err) {
  console.warn(`flowbook: running the server from its TypeScript sources (${err instanceof Error ? err.message.split('\n')[0] : err})`);
  server = ['--import', 'tsx', path.join(root, 'server.ts')];
}
const child = spawn(node, [...server, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
