#!/usr/bin/env node
/**
 * Compiles the CLI (cli/main.ts) and the custom server (server.ts) to JavaScript under
 * dist/, so `flowbook` and `npm start` load prebuilt code instead of compiling TypeScript
 * at every start. Runs at `npm install` (postinstall), in `npm run build`, and again from
 * bin/flowbook.js or scripts/start.mjs whenever a source the bundle was built from changed.
 *
 * `node scripts/dist/build.mjs [cli|server]...` (no argument: both).
 *
 * - Pure-JavaScript packages the CLI needs at every start (yaml, zod) are bundled: one
 *   file to read instead of a hundred and seventy. Every other package stays external and
 *   is loaded by Node from node_modules as it is (native addons, packages that read files
 *   beside themselves, Next.js).
 * - Code behind a dynamic `import()` goes to its own chunk (`splitting`), so a flow that
 *   never runs DuckDB never reads the DuckDB task's code. The CLI and the server are one
 *   CommonJS file each instead (`format: 'cjs'`): code behind an `import()` is compiled
 *   only when first run, and bin/flowbook.js, or the server's launcher `server.js`, runs
 *   the file through V8's code cache (code-cache.mjs).
 * - `import.meta.url` / `dirname` / `filename` in our sources are replaced by the source
 *   file's own location: files found beside a module (migrations, the kestra helper
 *   scripts, jq-wasm's resolution) are found as they are without a bundle.
 * - Several processes may build at once (parallel tests after an edit): every file is
 *   written to a temporary name and renamed, chunks carry a content hash so a running
 *   process keeps finding the chunks of the build it started with, and the entry is
 *   written before the manifest that declares it fresh.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MANIFEST, ROOT, TARGETS, distDir } from './targets.mjs';
import { dynamicImportStarts } from './code-cache.mjs';

/** Bundled into the output; any other bare import is left to Node. */
const BUNDLED = new Set(['yaml', 'zod', 'croner']);

/** Our sources: not under node_modules. Only these are rewritten and checked for freshness. */
const isOwnSource = (file) => !file.split(path.sep).includes('node_modules');

/** The packages a build left to an `import()` of its own, collected by importMetaPlugin. */
let dynamicExternals = new Set();

const importMetaPlugin = {
  name: 'source-import-meta',
  setup(build) {
    // In a CommonJS bundle every module's `import fs from 'node:fs'` becomes its own
    // __toESM(require('node:fs')), a copy of all of fs's properties: two hundred copies at each
    // start. Routed through one small module per builtin, each is copied once.
    build.onResolve({ filter: /^node:/ }, (args) => {
      if (build.initialOptions.format !== 'cjs' || args.kind !== 'import-statement' || args.namespace === 'node-builtin') return undefined;
      return { path: args.path, namespace: 'node-builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      contents: `export * from ${JSON.stringify(args.path)}; export { default } from ${JSON.stringify(args.path)};`,
      loader: 'js',
    }));
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@/')) return undefined; // the tsconfig `@/` alias: our own sources
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      if (!args.path.startsWith('node:') && BUNDLED.has(name)) return undefined;
      if (args.kind === 'dynamic-import') dynamicExternals.add(args.path);
      return { path: args.path, external: true };
    });
    build.onLoad({ filter: /\.(ts|tsx|mts|mjs|js)$/ }, async (args) => {
      if (!isOwnSource(args.path)) return undefined;
      const text = await fs.promises.readFile(args.path, 'utf8');
      const ext = path.extname(args.path).slice(1);
      const loader = ext === 'tsx' ? 'tsx' : ext === 'ts' || ext === 'mts' ? 'ts' : 'js';
      if (!text.includes('import.meta')) return { contents: text, loader };
      const contents = text
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents, loader };
    });
  },
};

/** Writes a file so that a reader sees either the old content or the new, never half of it. */
function writeAtomically(file, contents) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, contents);
  fs.renameSync(tmp, file);
}

/** Chunks of earlier builds stay a day for processes that started with them, then go. */
function removeOldChunks(dir, keep) {
  const chunks = path.join(dir, 'chunks');
  if (!fs.existsSync(chunks)) return;
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const name of fs.readdirSync(chunks)) {
    const file = path.join(chunks, name);
    if (keep.has(file)) continue;
    try {
      if (fs.statSync(file).mtimeMs < dayAgo) fs.rmSync(file, { force: true });
    } catch {
      // Another build removed it first.
    }
  }
}

/**
 * Code that V8 read from its code cache loses what `import()` needs (Node's host-defined
 * options: ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING, nodejs/node#43663), so in a CommonJS
 * bundle each `import("package")` esbuild left in place calls `__flowbookImport` instead,
 * which code-cache.mjs passes in beside `require`. A bundle that still holds an import()
 * is refused: it would fail only when that line first runs.
 */
export function routeDynamicImports(text, specifiers) {
  let routed = text;
  for (const specifier of specifiers) {
    // A specifier whose import() esbuild dropped as unused is simply not there.
    const call = `import(${JSON.stringify(specifier)})`;
    routed = routed.replaceAll(call, `__flowbookImport(${JSON.stringify(specifier)})`);
  }
  const [left] = dynamicImportStarts(routed);
  if (left !== undefined) throw new Error(`the bundle still calls import() at offset ${left}: ${routed.slice(left, left + 80)}`);
  return routed;
}

/** Builds one target (`cli` or `server`); returns the file to run: the launcher where the target has one. */
export async function buildTarget(name) {
  const target = TARGETS[name];
  if (!target) throw new Error(`unknown build target ${name} (known: ${Object.keys(TARGETS).join(', ')})`);
  const esbuild = await import('esbuild');
  const outdir = distDir(name);
  const cjs = target.format === 'cjs';
  dynamicExternals = new Set();
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { [target.name]: target.entry, ...(target.workers ?? {}) },
    // Where each worker's compiled file is, for the code that starts it (undefined when run from source).
    define: Object.fromEntries(
      Object.keys(target.workers ?? {}).map((w) => [`process.env.FLOWBOOK_WORKER_${w.toUpperCase().replaceAll('-', '_')}`, JSON.stringify(path.join(outdir, `${w}.${cjs ? 'cjs' : 'js'}`))]),
    ),
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: cjs ? { '.js': '.cjs' } : {},
    bundle: true,
    splitting: !cjs,
    format: cjs ? 'cjs' : 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    // Bundled CommonJS code (none of ours) may call require(): give it Node's.
    banner: cjs ? {} : { js: "import { createRequire as __flowbookCreateRequire } from 'node:module'; const require = __flowbookCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    minifyWhitespace: cjs,
    logLevel: 'warning',
    metafile: true,
    write: false,
    plugins: [importMetaPlugin],
  });
  const written = new Set();
  // Chunks first, the entry after them, the manifest last: whoever sees the new manifest finds all it names.
  const entryFile = path.join(outdir, `${target.name}.${cjs ? 'cjs' : 'js'}`);
  const ordered = [...result.outputFiles].sort((a, b) => rank(a.path) - rank(b.path));
  function rank(file) {
    return file === entryFile ? 1 : file === `${entryFile}.map` ? 1 : 0;
  }
  for (const out of ordered) {
    writeAtomically(out.path, cjs && out.path === entryFile ? routeDynamicImports(out.text, dynamicExternals) : out.contents);
    written.add(out.path);
  }
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const file = path.resolve(ROOT, input);
    if (!isOwnSource(file) || !fs.existsSync(file)) continue;
    const st = fs.statSync(file);
    inputs[path.relative(ROOT, file)] = [st.mtimeMs, st.size];
  }
  for (const extra of target.alsoDependsOn) {
    const st = fs.statSync(path.join(ROOT, extra), { throwIfNoEntry: false });
    if (st) inputs[extra] = [st.mtimeMs, st.size];
  }
  // A launcher runs the bundle through the code caches (code-cache.mjs); `node <entry>` starts it.
  let entry = path.basename(entryFile);
  if (target.launcher) {
    entry = `${target.name}.js`;
    const codeCache = path.relative(outdir, path.join(ROOT, 'scripts/dist/code-cache.mjs'));
    writeAtomically(
      path.join(outdir, entry),
      `// Written by scripts/dist/build.mjs: runs ${path.basename(entryFile)} through V8's code caches.\n` +
        `import { startBundle } from ${JSON.stringify(codeCache.split(path.sep).join('/'))};\n` +
        `startBundle(new URL(${JSON.stringify(`./${path.basename(entryFile)}`)}, import.meta.url));\n`,
    );
  }
  const manifest = { root: ROOT, entry, builtAt: new Date().toISOString(), inputs };
  writeAtomically(path.join(outdir, MANIFEST), JSON.stringify(manifest));
  removeOldChunks(outdir, written);
  return path.join(outdir, entry);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const names = process.argv.slice(2);
  for (const name of names.length > 0 ? names : Object.keys(TARGETS)) {
    const started = performance.now();
    const entry = await buildTarget(name);
    console.log(`flowbook: compiled ${name} to ${path.relative(ROOT, entry)} (${Math.round(performance.now() - started)} ms)`);
  }
}
