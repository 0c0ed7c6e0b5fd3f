/**
 * Runs a CommonJS bundle through V8's code cache: the bytecode V8 compiled for it on an
 * earlier run is read back instead of parsing and compiling the source again. Node 20 keeps
 * no such cache for ES modules (module.enableCompileCache() came with Node 22), which is why
 * the CLI is bundled as CommonJS.
 *
 * The cache sits beside the bundle (`<bundle>.v8cache`): a line naming the bundle file it
 * was made from (device, inode, size, modification time), then V8's data. V8 itself checks
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
import { createRequire } from 'node:module';
import vm from 'node:vm';

/**
 * The bundle's `import("package")` (build.mjs routes each one here): bytecode read from a
 * code cache cannot call `import()` itself. Packages resolve from here as from the bundle:
 * both sit in this package, above the same node_modules.
 */
const importPackage = (specifier) => import(specifier);

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
 * relative to it, `import()` through Node's ESM loader) and returns its exports, with
 * `saveIfNew()` to call once the work is done.
 */
export function loadCommonJs(file) {
  const fd = fs.openSync(file, 'r');
  let bytes;
  let stamp;
  try {
    const st = fs.fstatSync(fd);
    stamp = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
    bytes = fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const cacheFile = `${file}.v8cache`;
  const cachedData = readCache(cacheFile, stamp);
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
      if (!fresh) return;
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${stamp}\n`), script.createCachedData()]));
        fs.renameSync(tmp, cacheFile);
      } catch {
        fs.rmSync(tmp, { force: true });
      }
    },
  };
}
