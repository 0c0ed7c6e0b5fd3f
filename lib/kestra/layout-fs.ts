/**
 * A layout on disk: writing one into a directory (saying what changed) and reading one back.
 * Only `_flows/` and `_files/` are ever touched, so the layout can live in a repository that
 * holds other things too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FILES_DIR, FLOWS_DIR, LayoutError, flowLocation, type LayoutEntry } from './layout';

export type FileChange = 'added' | 'updated' | 'unchanged' | 'removed';

export interface WrittenFile {
  path: string;
  change: FileChange;
}

/** A layout larger than this is refused on read: the import holds it in memory. */
const MAX_READ_BYTES = 200 * 1024 * 1024;

function toNative(dir: string, rel: string): string {
  return path.join(dir, ...rel.split('/'));
}

/** Every file under `dir/<sub>`, as `/`-separated paths relative to `dir`; symbolic links are not followed. */
function listFiles(dir: string, sub: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = toNative(dir, rel);
    let items: fs.Dirent[];
    try {
      items = fs.readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const item of items) {
      const child = `${rel}/${item.name}`;
      if (item.isDirectory()) walk(child);
      else if (item.isFile()) out.push(child);
    }
  };
  walk(sub);
  return out.sort();
}

function sameContent(file: string, content: Buffer): boolean {
  try {
    const st = fs.statSync(file);
    return st.isFile() && st.size === content.length && fs.readFileSync(file).equals(content);
  } catch {
    return false;
  }
}

/** Removes `dir/rel`'s parent folders that became empty, up to (not including) the layout's own folders. */
function pruneEmptyParents(dir: string, rel: string): void {
  let parent = path.posix.dirname(rel);
  while (parent !== FLOWS_DIR && parent !== FILES_DIR && parent !== '.' && parent !== '') {
    const abs = toNative(dir, parent);
    try {
      if (fs.readdirSync(abs).length > 0) return;
      fs.rmdirSync(abs);
    } catch {
      return;
    }
    parent = path.posix.dirname(parent);
  }
}

/**
 * Writes the entries into `dir`. With `prune`, flow and namespace files of the layout that are
 * not among the entries are removed, so the directory mirrors the namespace (as PushFlows does
 * for a whole namespace); without it, other files are left alone.
 */
export function writeLayout(dir: string, entries: readonly LayoutEntry[], opts: { prune: boolean }): WrittenFile[] {
  const root = path.resolve(dir);
  fs.mkdirSync(root, { recursive: true });
  const written: WrittenFile[] = [];
  const keep = new Set(entries.map((e) => e.path));
  for (const entry of entries) {
    const file = toNative(root, entry.path);
    if (sameContent(file, entry.content)) {
      written.push({ path: entry.path, change: 'unchanged' });
      continue;
    }
    const existed = fs.existsSync(file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, entry.content);
    written.push({ path: entry.path, change: existed ? 'updated' : 'added' });
  }
  if (opts.prune) {
    const stale = [...listFiles(root, FLOWS_DIR).filter((p) => /\.ya?ml$/i.test(p)), ...listFiles(root, FILES_DIR)].filter((p) => !keep.has(p));
    for (const rel of stale) {
      fs.rmSync(toNative(root, rel));
      pruneEmptyParents(root, rel);
      written.push({ path: rel, change: 'removed' });
    }
  }
  return written.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface ReadFlow {
  /** Relative to the layout's directory. */
  path: string;
  /** The namespace SyncFlows would give it, from its folder. */
  folderNamespace: string;
  source: string;
}

export interface ReadLayout {
  root: string;
  flows: ReadFlow[];
  files: { path: string; namespacePath: string; content: Buffer }[];
}

/** The `namespace:` a flow's text declares at its top level (the line SyncFlows rewrites). */
export function declaredNamespace(source: string): string | undefined {
  return /^namespace:[ \t]*["']?([^"'\s#]+)["']?[ \t]*(?:#.*)?$/m.exec(source)?.[1];
}

/**
 * The root namespace of a layout read from disk: the folders only say how far below the root
 * a flow sits, so the root comes from what the flows declare (or the caller).
 */
function inferRoot(flows: { path: string; source: string }[], requested?: string): string {
  if (requested) return requested;
  const roots = new Set<string>();
  for (const f of flows) {
    const ns = declaredNamespace(f.source);
    const depth = f.path.split('/').length - 2;
    if (!ns) continue;
    const parts = ns.split('.');
    if (parts.length > depth) roots.add(parts.slice(0, parts.length - depth).join('.'));
  }
  if (roots.size === 1) return [...roots][0];
  if (roots.size === 0) throw new LayoutError('cannot tell the layout\'s namespace from its flows: give it (--namespace NS)');
  throw new LayoutError(`the flows' folders disagree on the layout's namespace (${[...roots].sort().join(', ')}): give it (--namespace NS)`);
}

/** Reads a layout written by Flowbook or by PushFlows/PushNamespaceFiles. */
export function readLayout(dir: string, opts: { namespace?: string } = {}): ReadLayout {
  const root = path.resolve(dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new LayoutError(`${dir} is not a directory`);
  const flowFiles = listFiles(root, FLOWS_DIR).filter((p) => /\.ya?ml$/i.test(p));
  const nsFiles = listFiles(root, FILES_DIR);
  if (flowFiles.length === 0 && nsFiles.length === 0) throw new LayoutError(`${dir} has no ${FLOWS_DIR}/ or ${FILES_DIR}/ folder with files: it is not a Kestra git layout`);
  let total = 0;
  const read = (rel: string) => {
    const content = fs.readFileSync(toNative(root, rel));
    total += content.length;
    if (total > MAX_READ_BYTES) throw new LayoutError(`${dir} holds more than ${MAX_READ_BYTES / 1024 / 1024} MB of flows and files: import it in parts`);
    return content;
  };
  const sources = flowFiles.map((p) => ({ path: p, source: read(p).toString('utf8') }));
  const namespace = inferRoot(sources, opts.namespace);
  return {
    root: namespace,
    flows: sources.map((s) => ({ path: s.path, source: s.source, folderNamespace: flowLocation(namespace, s.path)?.namespace ?? namespace })),
    files: nsFiles.map((p) => ({ path: p, namespacePath: p.slice(FILES_DIR.length + 1), content: read(p) })),
  };
}
