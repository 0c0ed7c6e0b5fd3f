/**
 * Runs a CommonJS bundle through V8's code cache: the bytecode V8 compiled for it on an
 * earlier run is read back instead of parsing and compiling the source again. Node 20 keeps
 * no such cache for ES modules (module.enableCompileCache() came with Node 22), which is why
 * the CLI and the server are bundled as CommonJS.
 *
 * The cache sits beside the bundle (`<bundle>.v8cache`): a line naming the bundle file it
 * was made from (device, inode, size, change time), then V8's data. V8 itself checks
 * only the source's length, its own version and its flags, so that line is what keeps a
 * rebuilt bundle of the same length from running the old bytecode; builds write a new file
 * and rename it, so every build has a new inode. The cache is written after a run
 * (`saveIfNew`), so it holds every function that run compiled, not only the top level. When
 * it is missing, stale or refused, the bundle is compiled as usual and the cache written
 * anew. Writing it is best effort: a read-only install runs without one.
 */
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import Module, { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

/**
 * The bundle's `import("package")` (build.mjs routes each one here): bytecode read from a
 * code cache cannot call `import()` itself. Packages resolve from here as from the bundle:
 * both sit in this package, above the same node_modules.
 */
const importPackage = (specifier) => import(specifier);

/** `FLOWBOOK_CODE_CACHE=0` turns both caches off: everything compiles from source, as Node does. */
const enabled = () => process.env.FLOWBOOK_CODE_CACHE !== '0';

/** Which file a cache was made from: a rewrite gets a new inode or change time, whatever its length. */
const stampOf = (st) => `${st.dev}:${st.ino}:${st.size}:${st.ctimeMs}`;

/** Writes a cache file whole or not at all (a temporary file renamed); a failure leaves no cache, never an error. */
function writeCacheFile(file, parts) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, Buffer.concat(parts));
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

/** V8's data in `cacheFile` when it was made from the bundle named by `stamp`, else undefined. */
function readCache(cacheFile, stamp) {
  let data;
  try {
    data = fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const header = Buffer.from(`${stamp}\n`);
  return data.length > header.length && data.subarray(0, header.length).equals(header) ? data.subarray(header.length) : undefined;
}

/**
 * Evaluates the CommonJS file `file` as Node's loader would (same wrapper, `require`
 * relative to it) and returns its exports, with `saveIfNew()` to call once the work is
 * done. Its `import()` calls must already go through `__flowbookImport` (build.mjs).
 */
export function loadCommonJs(file) {
  const fd = fs.openSync(file, 'r');
  let bytes;
  let stamp;
  try {
    stamp = stampOf(fs.fstatSync(fd));
    bytes = fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const cacheFile = `${file}.v8cache`;
  const cachedData = enabled() ? readCache(cacheFile, stamp) : undefined;
  // esbuild writes ASCII but for a few comments; latin1 decodes ASCII three times as fast as utf8.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  // The wrapper stays on the first line, so line numbers in stack traces match the file.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __flowbookImport) { ${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file), importPackage);
  const fresh = cachedData === undefined || script.cachedDataRejected === true;
  return {
    exports: module.exports,
    /** Whether V8 ran this load from the cache. */
    fromCache: !fresh,
    /** Writes the cache when this run did not use one; the functions compiled so far go in it. */
    saveIfNew() {
      if (fresh && enabled()) writeCacheFile(cacheFile, [Buffer.from(`${stamp}\n`), script.createCachedData()]);
    },
  };
}

/** A cheap first look: only a module that may call import() is lexed. */
const DYNAMIC_IMPORT = /\bimport\s*\(/;

let lexer;

/** Where each `import(` of a script starts (es-module-lexer); throws when it cannot lex it. */
export function dynamicImportStarts(source) {
  lexer ??= createRequire(import.meta.url)('es-module-lexer');
  lexer.initSync();
  const [imports] = lexer.parse(source);
  return imports.filter((i) => i.d > -1).map((i) => i.ss);
}

/** `source` with the `import` of each import() at `starts` made `$fbImp`: same length, so positions hold. */
export function withImportsRouted(source, starts) {
  if (starts.length === 0) return source;
  let out = '';
  let at = 0;
  for (const start of starts) {
    if (source.slice(start, start + 6) !== 'import') throw new Error(`no import() at ${start}`);
    out += `${source.slice(at, start)}$fbImp`;
    at = start + 6;
  }
  return out + source.slice(at);
}

/**
 * import() for the module at `filename`: relative specifiers resolve from its file, absolute
 * URLs and builtins as they are, and package names from Flowbook's own node_modules (Next.js
 * and Prisma import only the first three kinds).
 */
function importFrom(filename) {
  const base = pathToFileURL(filename);
  return (specifier, options) => import(/^\.\.?\//.test(String(specifier)) ? new URL(specifier, base).href : specifier, options);
}

/** Smaller files cost more to look up in the cache than to compile. */
const MIN_CACHED_BYTES = 4096;

/**
 * Gives the CommonJS modules Node's own loader compiles from now on (Next.js's server, the
 * app's route bundles, socket.io) the same code cache, kept in one file for all of them:
 * an index line (each module's file name, the stamp of the file it was made from, where its
 * data lies), then the data. `save()` writes it once this process has compiled modules the
 * cache did not have; call it once start-up's modules are loaded.
 *
 * Node compiles the module as usual around a one-line stub that calls the function compiled
 * here from the cache, so Node's own require(), its resolution cache and its error handling
 * all stay as they are. Bytecode read from a cache cannot call import(), so each import() in
 * a module (found by es-module-lexer, which knows strings, comments and regular expressions
 * apart from code, when the module is first cached) becomes a call of the same length to
 * `$fbImp`, which imports for it. A file that does not compile as a script (an ES module) is
 * left to Node.
 * A module's stamp is its file's device, inode, size and change time: npm gives every file in a
 * package the same modification time, while the change time is the kernel's own.
 */
export function installModuleCache(cacheFile, { include = () => true } = {}) {
  const stored = readModuleCache(cacheFile);
  const used = new Map();
  let missed = 0;
  let hits = 0;
  let pending;
  const stubKey = Symbol.for('flowbook.compiled-module');
  globalThis[stubKey] = function runCompiled(...args) {
    const compiled = pending;
    pending = undefined;
    return compiled.apply(this, args);
  };
  const stub = `return globalThis[Symbol.for('flowbook.compiled-module')].apply(this, arguments);`;
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename, format) {
    if (format === 'module' || content.length < MIN_CACHED_BYTES || !include(filename)) {
      return compile.call(this, content, filename, format);
    }
    let st;
    try {
      st = fs.statSync(filename);
    } catch {
      return compile.call(this, content, filename, format);
    }
    const stamp = stampOf(st);
    const entry = stored.get(filename);
    const current = entry?.stamp === stamp ? entry : undefined;
    let imports;
    let source;
    let script;
    try {
      imports = current ? current.imports : DYNAMIC_IMPORT.test(content) ? dynamicImportStarts(content) : [];
      source = withImportsRouted(content, imports);
      script = new vm.Script(`(function (exports, require, module, __filename, __dirname, $fbImp) { ${source}\n})`, { filename, cachedData: current?.data });
    } catch {
      return compile.call(this, content, filename, format);
    }
    const hit = current !== undefined && script.cachedDataRejected !== true;
    if (hit) hits++;
    else missed++;
    used.set(filename, { stamp, imports, script, data: hit ? current.data : undefined });
    const compiled = script.runInThisContext();
    const importFromHere = importFrom(filename);
    pending = function (exports, require, module, __filename, __dirname) {
      return compiled.call(this, exports, require, module, __filename, __dirname, importFromHere);
    };
    return compile.call(this, stub, filename, format);
  };
  return {
    /** How many modules this process ran from the cache, and compiled without it. */
    counts: () => ({ hits, missed }),
    /** Writes the cache when modules were compiled without it; later loads are not added. */
    save() {
      Module.prototype._compile = compile;
      if (missed === 0) return;
      missed = 0;
      const index = {};
      const blobs = [];
      let offset = 0;
      for (const [filename, { stamp, imports, script, data }] of used) {
        const bytes = data ?? script.createCachedData();
        index[filename] = [stamp, offset, bytes.length, imports];
        blobs.push(bytes);
        offset += bytes.length;
      }
      used.clear();
      writeCacheFile(cacheFile, [Buffer.from(`${JSON.stringify(index)}\n`), ...blobs]);
    },
  };
}

/** The module cache file's entries by file name, or none when it is missing or unreadable. */
function readModuleCache(cacheFile) {
  const entries = new Map();
  let data;
  try {
    data = fs.readFileSync(cacheFile);
  } catch {
    return entries;
  }
  const end = data.indexOf(10);
  if (end < 0) return entries;
  let index;
  try {
    index = JSON.parse(data.subarray(0, end).toString('utf8'));
  } catch {
    return entries;
  }
  const base = end + 1;
  for (const [filename, [stamp, offset, length, imports = []]] of Object.entries(index)) {
    if (base + offset + length <= data.length) entries.set(filename, { stamp, imports, data: data.subarray(base + offset, base + offset + length) });
  }
  return entries;
}

/** How long after start the caches are written: by then start-up's modules are loaded. */
const SAVE_AFTER_MS = 5_000;

/**
 * Runs a long-lived program's CommonJS bundle (the server) with both caches: its own code
 * (loadCommonJs) and the CommonJS modules it loads (installModuleCache), beside the bundle.
 * They are written SAVE_AFTER_MS after start, or at exit if that comes first.
 */
export function startBundle(bundleUrl) {
  const bundle = fileURLToPath(bundleUrl);
  const modules = enabled() ? installModuleCache(path.join(path.dirname(bundle), 'modules.v8cache')) : { save() {} };
  const program = loadCommonJs(bundle);
  let saved = false;
  const save = () => {
    if (saved) return;
    saved = true;
    program.saveIfNew();
    modules.save();
  };
  setTimeout(save, SAVE_AFTER_MS).unref();
  process.once('exit', save);
}
