/**
 * The folder layout Kestra's git tasks read and write, as pure path arithmetic.
 *
 * - Flows: `_flows/<flowId>.yml` for the root namespace, and `_flows/<a>/<b>/<flowId>.yml` for
 *   its child namespace `<root>.a.b` (PushFlows' default `gitDirectory` with
 *   `includeChildNamespaces: true`, read back by SyncFlows with the same options; see the
 *   table in SyncFlows' `targetNamespace` documentation in kestra-io/plugin-git).
 * - Namespace files: `_files/<path>` for the root namespace (the default `gitDirectory` of
 *   SyncNamespaceFiles and PushNamespaceFiles). Those tasks take one namespace each, so child
 *   namespaces' files have no place in one layout and are reported, not written.
 *
 * A flow is written byte for byte as its YAML text: Kestra stores a flow's source as sent.
 */

export const FLOWS_DIR = '_flows';
export const FILES_DIR = '_files';
/** PushFlows names each file `<flowId>.yml`; SyncFlows reads `.yml` and `.yaml` alike. */
export const FLOW_EXTENSION = '.yml';

export interface FlowEntry {
  namespace: string;
  id: string;
  /** The flow's YAML, exactly as Flowbook exports it. */
  source: string;
}

export interface NamespaceFileEntry {
  namespace: string;
  /** Relative, `/`-separated, no leading slash (`scripts/clean.py`). */
  path: string;
  content: Buffer;
}

export interface LayoutEntry {
  /** Relative to the layout's directory, `/`-separated. */
  path: string;
  kind: 'flow' | 'file';
  namespace: string;
  /** The flow id, or the namespace file's path. */
  name: string;
  content: Buffer;
}

export interface LayoutSkip {
  namespace: string;
  name: string;
  reason: string;
}

export class LayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LayoutError';
  }
}

function segments(namespace: string): string[] {
  return namespace.split('.');
}

/** A path segment that cannot climb or hide: no separators, no `.`/`..`, nothing empty. */
function safeSegment(segment: string, what: string): string {
  if (segment === '' || segment === '.' || segment === '..' || /[\\/\0]/.test(segment)) {
    throw new LayoutError(`${what} "${segment}" cannot be written as a folder or file name`);
  }
  return segment;
}

/** The longest namespace every one of `namespaces` is, or is a child of; undefined when they share none. */
export function commonNamespace(namespaces: readonly string[]): string | undefined {
  if (namespaces.length === 0) return undefined;
  let common = segments(namespaces[0]);
  for (const ns of namespaces.slice(1)) {
    const s = segments(ns);
    let n = 0;
    while (n < common.length && n < s.length && common[n] === s[n]) n++;
    common = common.slice(0, n);
  }
  return common.length === 0 ? undefined : common.join('.');
}

/** Whether `namespace` is `root` or one of its children (`root.x`, `root.x.y`). */
export function isWithin(root: string, namespace: string): boolean {
  return namespace === root || namespace.startsWith(root + '.');
}

/**
 * The root namespace of a layout: the one asked for (every flow must be in it or under it),
 * else the namespace all flows share.
 */
export function rootNamespace(namespaces: readonly string[], requested?: string): string {
  if (requested !== undefined) {
    const outside = namespaces.filter((ns) => !isWithin(requested, ns));
    if (outside.length > 0) throw new LayoutError(`namespace ${[...new Set(outside)].join(', ')} is not ${requested} nor one of its children: export it separately`);
    return requested;
  }
  const common = commonNamespace(namespaces);
  if (common === undefined) {
    if (namespaces.length === 0) throw new LayoutError('nothing to export: no flow was given');
    throw new LayoutError(`the flows are in namespaces with no common parent (${[...new Set(namespaces)].join(', ')}): export each namespace to its own directory`);
  }
  return common;
}

/** `_flows/<child folders>/<id>.yml` for a flow of `namespace` under `root`. */
export function flowPath(root: string, namespace: string, id: string): string {
  if (!isWithin(root, namespace)) throw new LayoutError(`flow ${namespace}.${id} is not in namespace ${root} nor one of its children`);
  const children = namespace === root ? [] : segments(namespace.slice(root.length + 1)).map((s) => safeSegment(s, 'namespace part'));
  return [FLOWS_DIR, ...children, safeSegment(id, 'flow id') + FLOW_EXTENSION].join('/');
}

/** `_files/<path>` for a namespace file of the root namespace. */
export function namespaceFilePath(path: string): string {
  const parts = path.replace(/^\/+/, '').split('/');
  return [FILES_DIR, ...parts.map((p) => safeSegment(p, 'namespace file path part'))].join('/');
}

/** Where SyncFlows puts a flow file of the layout: the namespace its folder names, and the file's id. */
export function flowLocation(root: string, relPath: string): { namespace: string; fileId: string } | undefined {
  const parts = relPath.split('/');
  if (parts[0] !== FLOWS_DIR || parts.length < 2) return undefined;
  const file = parts[parts.length - 1];
  const ext = /\.ya?ml$/i.exec(file);
  if (!ext) return undefined;
  const folders = parts.slice(1, -1);
  return { namespace: [root, ...folders].join('.'), fileId: file.slice(0, -ext[0].length) };
}

/** Every file of a layout for these flows and the root namespace's files, with what cannot be placed. */
export function planLayout(root: string, flows: readonly FlowEntry[], files: readonly NamespaceFileEntry[] = []): { entries: LayoutEntry[]; skipped: LayoutSkip[] } {
  const entries: LayoutEntry[] = [];
  const skipped: LayoutSkip[] = [];
  const taken = new Map<string, string>();
  const claim = (path: string, what: string) => {
    const other = taken.get(path);
    if (other) throw new LayoutError(`${what} and ${other} would both be written to ${path}`);
    taken.set(path, what);
  };
  for (const f of flows) {
    const path = flowPath(root, f.namespace, f.id);
    claim(path, `flow ${f.namespace}.${f.id}`);
    entries.push({ path, kind: 'flow', namespace: f.namespace, name: f.id, content: Buffer.from(f.source, 'utf8') });
  }
  for (const file of files) {
    if (file.namespace !== root) {
      skipped.push({ namespace: file.namespace, name: file.path, reason: `SyncNamespaceFiles reads one namespace per directory: export namespace ${file.namespace} on its own to keep its files` });
      continue;
    }
    const path = namespaceFilePath(file.path);
    claim(path, `namespace file ${file.path}`);
    entries.push({ path, kind: 'file', namespace: file.namespace, name: file.path, content: file.content });
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, skipped };
}
