/**
 * The parts table of docs/architecture.md, read and checked at lint time.
 *
 * eslint.config.mjs builds its import-boundary rules from what `readParts()` returns, so the
 * page stays the one place that says which part may import which. The table is checked
 * before any rule is built: every "may import" target is a part in the same or a lower
 * layer, no folder belongs to two parts, and the may-import graph has no cycle. A broken
 * table stops ESLint at load with a message that says what to fix.
 */
import fs from 'node:fs';
import path from 'node:path';

export const ARCHITECTURE_DOC = 'docs/architecture.md';
const START = '<!-- parts:start -->';
const END = '<!-- parts:end -->';
const COLUMNS = ['part', 'layer', 'folders', 'may import'];

/**
 * @typedef {{ name: string, layer: number, folders: string[], mayImport: string[], line: number }} Part
 */

/** Splits one markdown table row into trimmed cells (leading and trailing pipes dropped). */
function cells(row) {
  return row.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((cell) => cell.trim());
}

/** `lib/server`, `server.ts` → ['lib/server', 'server.ts']; backticks and trailing slashes go. */
function list(cell) {
  return cell
    .split(',')
    .map((item) => item.replace(/`/g, '').trim().replace(/\/+$/, ''))
    .filter((item) => item !== '');
}

/**
 * Parses the parts table between the `parts:start` and `parts:end` markers.
 * @param {string} markdown the text of docs/architecture.md
 * @returns {Part[]}
 */
export function parseParts(markdown) {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === START);
  const end = lines.findIndex((line) => line.trim() === END);
  if (start < 0 || end < start) {
    throw new Error(`${ARCHITECTURE_DOC}: no parts table between "${START}" and "${END}"`);
  }
  const rows = [];
  for (let i = start + 1; i < end; i++) {
    if (lines[i].trim().startsWith('|')) rows.push({ line: i + 1, cells: cells(lines[i]) });
  }
  if (rows.length < 2) throw new Error(`${ARCHITECTURE_DOC}: the parts table has no rows`);
  const header = rows[0].cells.map((cell) => cell.toLowerCase());
  const column = Object.fromEntries(
    COLUMNS.map((name) => {
      const index = header.indexOf(name);
      if (index < 0) throw new Error(`${ARCHITECTURE_DOC}:${rows[0].line}: the parts table has no "${name}" column`);
      return [name, index];
    }),
  );
  return rows
    .slice(1)
    .filter((row) => !row.cells.every((cell) => /^:?-+:?$/.test(cell)))
    .map(({ line, cells: row }) => {
      const name = row[column.part];
      const layerText = row[column.layer];
      if (!name) throw new Error(`${ARCHITECTURE_DOC}:${line}: a row without a part name`);
      if (!/^\d+$/.test(layerText ?? '')) {
        throw new Error(`${ARCHITECTURE_DOC}:${line}: part "${name}" has layer "${layerText}", expected a whole number`);
      }
      return {
        name,
        layer: Number(layerText),
        folders: list(row[column.folders] ?? ''),
        mayImport: list(row[column['may import']] ?? ''),
        line,
      };
    });
}

/**
 * Throws when the table contradicts itself: a duplicate part or folder, a part without
 * folders, a "may import" target that is no part, that is the part itself or that sits in a
 * higher layer, or a cycle in the may-import graph.
 * @param {Part[]} parts
 */
export function checkParts(parts) {
  const problems = [];
  const byName = new Map();
  const folderOwner = new Map();
  for (const part of parts) {
    if (byName.has(part.name)) problems.push(`line ${part.line}: part "${part.name}" is listed twice`);
    byName.set(part.name, part);
    if (part.folders.length === 0) problems.push(`line ${part.line}: part "${part.name}" lists no folders`);
    for (const folder of part.folders) {
      if (folderOwner.has(folder)) {
        problems.push(`line ${part.line}: folder "${folder}" belongs to both "${folderOwner.get(folder)}" and "${part.name}"`);
      }
      folderOwner.set(folder, part.name);
    }
  }
  for (const part of parts) {
    for (const target of part.mayImport) {
      const other = byName.get(target);
      if (!other) problems.push(`line ${part.line}: "${part.name}" may import "${target}", which is no part of the table`);
      else if (other === part) problems.push(`line ${part.line}: "${part.name}" lists itself under "may import"`);
      else if (other.layer > part.layer) {
        problems.push(
          `line ${part.line}: "${part.name}" (layer ${part.layer}) may import "${target}" (layer ${other.layer}): nothing imports upwards`,
        );
      }
    }
  }
  // Depth-first search over the may-import graph; a grey node met again closes a cycle.
  const state = new Map();
  const trail = [];
  const visit = (name) => {
    state.set(name, 'grey');
    trail.push(name);
    for (const target of byName.get(name)?.mayImport ?? []) {
      if (!byName.has(target) || target === name) continue;
      if (state.get(target) === 'grey') {
        problems.push(`the may-import graph has a cycle: ${[...trail.slice(trail.indexOf(target)), target].join(' → ')}`);
      } else if (!state.has(target)) visit(target);
    }
    trail.pop();
    state.set(name, 'black');
  };
  for (const part of parts) if (!state.has(part.name)) visit(part.name);
  if (problems.length > 0) {
    throw new Error(`${ARCHITECTURE_DOC}: the parts table is not sane:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Reads, parses and checks the parts table of `docs/architecture.md` under `root`.
 * @param {string} root the repository root
 * @returns {Part[]}
 */
export function readParts(root) {
  const parts = parseParts(fs.readFileSync(path.join(root, ARCHITECTURE_DOC), 'utf8'));
  checkParts(parts);
  return parts;
}

/** A folder cell names a file when its last segment has an extension (`server.ts`). */
export function isFileFolder(folder) {
  return /\.[a-z0-9]+$/i.test(path.posix.basename(folder));
}
