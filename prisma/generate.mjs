#!/usr/bin/env node
/**
 * Prisma binds a generated client to one provider, so Flowbook keeps one schema per
 * provider, both built from models.prisma.part, and generates a client for each.
 * Usage: node prisma/generate.mjs [--check]  (--check: only rewrite the schemas)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dir = path.dirname(new URL(import.meta.url).pathname);
const models = fs.readFileSync(path.join(dir, 'models.prisma.part'), 'utf8');
export const PROVIDERS = ['sqlite', 'postgresql'];

// compilerBuild "small": the query compiler's wasm is half the size of the "fast" build, which
// took the server's start a third more CPU and about 50 MB more memory. Queries compile once
// per shape and the hot path bypasses Prisma, so the slower compiler costs nothing measurable.
for (const provider of PROVIDERS) {
  const schema = `// Generated from prisma/models.prisma.part by prisma/generate.mjs: edit that file, not this one.
generator client {
  provider      = "prisma-client"
  output        = "../../lib/generated/prisma/${provider}"
  moduleFormat  = "esm"
  compilerBuild = "small"
}

datasource db {
  provider = "${provider}"
}

${models}`;
  const file = path.join(dir, provider, 'schema.prisma');
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== schema) fs.writeFileSync(file, schema);
  if (process.argv.includes('--check')) continue;
  execFileSync(process.execPath, [path.join(dir, '..', 'node_modules', 'prisma', 'build', 'index.js'), 'generate', '--schema', file], {
    stdio: 'inherit',
    // generate needs no schema engine; pointing it at /bin/false keeps Prisma from downloading one.
    env: { PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false', ...process.env },
  });
  await loadWasmFromFile(provider);
}

/**
 * The generated client gets its query compiler's wasm from a module holding it as a 2.2 MB
 * base64 string, which the server's start parsed, decoded and then compiled on its main
 * thread (about 55 ms of a one-second start). This writes the wasm beside the client once
 * and has the client read it and compile it with WebAssembly.compile(), which V8 does on its
 * background threads while the start goes on.
 */
async function loadWasmFromFile(provider) {
  const client = path.join(dir, '..', 'lib', 'generated', 'prisma', provider, 'internal', 'class.ts');
  const text = fs.readFileSync(client, 'utf8');
  const block = /  getQueryCompilerWasmModule: async \(\) => \{\n    const \{ wasm \} = await import\("(@prisma\/client\/runtime\/[^"]+\.wasm-base64\.mjs)"\)\n    return await decodeBase64AsWasm\(wasm\)\n  \},/;
  const found = block.exec(text);
  if (!found) throw new Error(`${client}: the query compiler's wasm loading is not the shape prisma/generate.mjs rewrites; update loadWasmFromFile`);
  const { wasm } = await import(found[1]);
  fs.writeFileSync(path.join(path.dirname(client), 'query_compiler.wasm'), Buffer.from(wasm, 'base64'));
  const replacement = `  // Rewritten by prisma/generate.mjs: the wasm is read from the file it wrote beside this one.
  getQueryCompilerWasmModule: async () => {
    const { readFile } = await import('node:fs/promises')
    return await WebAssembly.compile(await readFile(new URL('./query_compiler.wasm', import.meta.url)))
  },`;
  fs.writeFileSync(client, text.replace(block, replacement));
}
