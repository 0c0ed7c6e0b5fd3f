import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript, run before anything is compiled
import { routeDynamicImports } from '../../scripts/dist/build.mjs';

const CODE_CACHE = path.resolve(import.meta.dirname, '../../scripts/dist/code-cache.mjs');

interface Run {
  fromCache: boolean;
  answer: number;
  dirname: string;
  later: string;
}

/**
 * Loads the bundle in a Node process of its own, as bin/flowbook.js does: V8 also keeps
 * compiled code in memory per process, which would hide whether the file cache was used.
 */
function load(file: string): Run {
  const script = `
    const { loadCommonJs } = await import(${JSON.stringify(pathToFileURL(CODE_CACHE).href)});
    const loaded = loadCommonJs(${JSON.stringify(file)});
    const later = await loaded.exports.later();
    loaded.saveIfNew();
    console.log(JSON.stringify({ fromCache: loaded.fromCache, answer: loaded.exports.answer, dirname: loaded.exports.dirname, later }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(out) as Run;
}

let dir = '';
let bundle = '';

/** A bundle as build.mjs writes it: CommonJS, its one package import routed through __flowbookImport. */
function writeBundle(answer: number): void {
  const source = `exports.answer = ${answer};
exports.dirname = __dirname;
exports.later = async () => (await __flowbookImport('node:path')).basename(require('node:path').join('a', 'b.txt'));
`;
  // Written and renamed, as builds do, so a rebuild is a new file.
  fs.writeFileSync(`${bundle}.tmp`, source);
  fs.renameSync(`${bundle}.tmp`, bundle);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-code-cache-'));
  bundle = path.join(dir, 'main.cjs');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('loadCommonJs', () => {
  it('compiles the bundle on the first run, writes the cache after it, and runs from the cache next time', () => {
    writeBundle(41);
    expect(fs.existsSync(`${bundle}.v8cache`)).toBe(false);
    expect(load(bundle)).toEqual({ fromCache: false, answer: 41, dirname: dir, later: 'b.txt' });
    expect(fs.existsSync(`${bundle}.v8cache`)).toBe(true);
    // `later` imports a package from bytecode read back from the cache, where a plain import() fails.
    expect(load(bundle)).toEqual({ fromCache: true, answer: 41, dirname: dir, later: 'b.txt' });
  });

  it('does not run a rebuilt bundle of the same length from the old cache', () => {
    writeBundle(41);
    load(bundle);
    writeBundle(42);
    expect(load(bundle)).toMatchObject({ fromCache: false, answer: 42 });
    expect(load(bundle)).toMatchObject({ fromCache: true, answer: 42 });
  });

  it('ignores a cache that is not V8 data and writes a good one', () => {
    writeBundle(7);
    load(bundle);
    const header = fs.readFileSync(`${bundle}.v8cache`).toString('latin1').split('\n')[0];
    fs.writeFileSync(`${bundle}.v8cache`, `${header}\nnot bytecode at all`);
    expect(load(bundle)).toMatchObject({ fromCache: false, answer: 7, later: 'b.txt' });
    expect(load(bundle)).toMatchObject({ fromCache: true, answer: 7 });
  });
});

describe('routeDynamicImports', () => {
  const route = routeDynamicImports as (text: string, specifiers: Iterable<string>) => string;

  it('sends each import("package") esbuild left to __flowbookImport', () => {
    expect(route('const pg = await import("pg"); const d = import("@duckdb/node-api");', ['pg', '@duckdb/node-api'])).toBe(
      'const pg = await __flowbookImport("pg"); const d = __flowbookImport("@duckdb/node-api");',
    );
  });

  it('refuses a bundle that would still call import() from cached code', () => {
    expect(() => route('import("pg"); import("dockerode")', ['pg'])).toThrow(/still calls import\(\)/);
    expect(() => route('const load = (name) => import (name);', [])).toThrow(/still calls import\(\)/);
    // Only calls count: the worker's source, held in a template string, may mention import().
    expect(route('const src = `import(${JSON.stringify(api)})`; // import("x")', [])).toContain('import(');
  });
});

describe('installModuleCache', () => {
  /** A CommonJS module past the cache's size floor that imports at run time, and quotes import() in a string. */
  function writeModule(file: string, answer: number): void {
    const source = `// ${'padding '.repeat(600)}
exports.answer = ${answer};
exports.quoted = "import('not-a-call')";
exports.relative = async () => (await import('./sibling.mjs')).value;
exports.builtin = async () => (await import ('node:path')).basename('/a/b.txt');
`;
    fs.writeFileSync(`${file}.tmp`, source);
    fs.renameSync(`${file}.tmp`, file);
  }

  interface Loaded {
    answer: number;
    quoted: string;
    relative: string;
    builtin: string;
    counts: { hits: number; missed: number };
  }

  /** Requires the module in a Node process of its own, through the module cache, and saves the cache. */
  function requireThroughCache(file: string, cacheFile: string): Loaded {
    const script = `
      const { createRequire } = await import('node:module');
      const { installModuleCache } = await import(${JSON.stringify(pathToFileURL(CODE_CACHE).href)});
      // Only this module: others this process loads (es-module-lexer among them) would be counted too.
      const cache = installModuleCache(${JSON.stringify(cacheFile)}, { include: (f) => f === ${JSON.stringify(file)} });
      const mod = createRequire(${JSON.stringify(file)})(${JSON.stringify(file)});
      const out = { answer: mod.answer, quoted: mod.quoted, relative: await mod.relative(), builtin: await mod.builtin(), counts: cache.counts() };
      cache.save();
      console.log(JSON.stringify(out));`;
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as Loaded;
  }

  it("runs a module from the cache on the next start, its import() calls working and its strings left alone", () => {
    const file = path.join(dir, 'lib.cjs');
    const cacheFile = path.join(dir, 'modules.v8cache');
    fs.writeFileSync(path.join(dir, 'sibling.mjs'), 'export const value = "sibling";\n');
    writeModule(file, 1);
    const expected = { answer: 1, quoted: "import('not-a-call')", relative: 'sibling', builtin: 'b.txt' };
    expect(requireThroughCache(file, cacheFile)).toEqual({ ...expected, counts: { hits: 0, missed: 1 } });
    expect(requireThroughCache(file, cacheFile)).toEqual({ ...expected, counts: { hits: 1, missed: 0 } });
  });

  it('compiles a module again once its file changed, even at the same length', () => {
    const file = path.join(dir, 'lib.cjs');
    const cacheFile = path.join(dir, 'modules.v8cache');
    fs.writeFileSync(path.join(dir, 'sibling.mjs'), 'export const value = "sibling";\n');
    writeModule(file, 1);
    requireThroughCache(file, cacheFile);
    writeModule(file, 2);
    expect(requireThroughCache(file, cacheFile)).toMatchObject({ answer: 2, counts: { hits: 0, missed: 1 } });
    expect(requireThroughCache(file, cacheFile)).toMatchObject({ answer: 2, counts: { hits: 1, missed: 0 } });
  });
});

describe('the server build', () => {
  it('hands back its launcher, which starts the bundle through the caches, whether it was fresh or just built', async () => {
    const targets = (await import(pathToFileURL(path.resolve(import.meta.dirname, '../../scripts/dist/fresh.mjs')).href)) as {
      compiledEntry(name: string): Promise<string>;
    };
    const build = (await import(pathToFileURL(path.resolve(import.meta.dirname, '../../scripts/dist/build.mjs')).href)) as {
      buildTarget(name: string): Promise<string>;
    };
    const built = await build.buildTarget('server');
    expect(path.basename(built)).toBe('server.js');
    expect(fs.readFileSync(built, 'utf8')).toContain('startBundle(new URL("./server.cjs", import.meta.url))');
    await expect(targets.compiledEntry('server')).resolves.toBe(built);
  });
});
