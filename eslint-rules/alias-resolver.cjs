/**
 * An import resolver (eslint-module-utils interface v2) for the boundary rules: resolves
 * relative imports and the `@/` alias of tsconfig.json (`@/lib/x` is `<root>/lib/x`) to a
 * file, trying the extensions and index files TypeScript's bundler resolution tries.
 * Bare package names are not resolved here (they are no part of the table).
 * Settings: `{ root: '/abs/repo' }`.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'];

function isFile(file) {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function firstFile(base) {
  const candidates = [
    base,
    ...EXTENSIONS.map((ext) => base + ext),
    ...EXTENSIONS.map((ext) => path.join(base, `index${ext}`)),
  ];
  // `./x.js` written for `./x.ts` (TypeScript's ESM convention).
  if (/\.[cm]?jsx?$/.test(base)) {
    const stem = base.replace(/\.[cm]?jsx?$/, '');
    candidates.push(stem + '.ts', stem + '.tsx', stem + '.mts', stem + '.cts');
  }
  return candidates.find(isFile) ?? null;
}

module.exports = {
  interfaceVersion: 2,
  resolve(source, file, config) {
    const root = config && config.root ? config.root : process.cwd();
    let base;
    if (source.startsWith('@/')) base = path.join(root, source.slice(2));
    else if (source === '.' || source === '..' || source.startsWith('./') || source.startsWith('../')) {
      base = path.resolve(path.dirname(file), source);
    } else return { found: false };
    // A path that names no file yet (a file being written, a fake path in a test) is still
    // classified by its folder: the boundary rules need the place, not the file.
    return { found: true, path: firstFile(base) ?? base };
  },
};
