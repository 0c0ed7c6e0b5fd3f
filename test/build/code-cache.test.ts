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
    expect(() => route('nothing here', ['pg'])).toThrow(/no import\("pg"\)/);
  });
});
