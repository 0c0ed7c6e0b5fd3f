/** Offsets, lines and columns in the flow text, and finding the YAML node at a path. */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { ParsedFlow, SourcePos, YamlPath } from './types';

/** Line starts of a text, for offset → line/column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  /** 1-based line and column of an offset. */
  pos(offset: number): SourcePos {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}

const indexes = new WeakMap<Document, LineIndex>();

/** The line index of a parsed flow's text, built once per document. */
export function lineIndexOf(parsed: Pick<ParsedFlow, 'doc' | 'text'>): LineIndex {
  let index = indexes.get(parsed.doc);
  if (!index || index.text !== parsed.text) {
    index = new LineIndex(parsed.text);
    indexes.set(parsed.doc, index);
  }
  return index;
}

function keyMatches(key: unknown, segment: string | number): boolean {
  const value = isScalar(key) ? key.value : key;
  return value !== null && value !== undefined && String(value) === String(segment);
}

/** One step down the document: the value at a map key or sequence index. */
function child(doc: Document, node: Node, segment: string | number): Node | undefined {
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (isMap(target)) {
    const pair = target.items.find((p) => keyMatches(p.key, segment));
    if (!pair) return undefined;
    // A key with no value (`then:`) has no value node: point at the key instead.
    const value = pair.value as Node | null;
    return value?.range ? value : (pair.key as Node);
  }
  if (isSeq(target) && typeof segment === 'number') return (target.items[segment] as Node | undefined) ?? undefined;
  return undefined;
}

/** The node at a path, or undefined when the path does not exist. */
export function nodeAt(doc: Document, path: YamlPath): Node | undefined {
  let node = doc.contents as Node | null;
  for (const segment of path) {
    if (!node) return undefined;
    node = child(doc, node, segment) ?? null;
  }
  return node ?? undefined;
}

/** The deepest node that exists along a path (the root when nothing matches). */
export function nearestNode(doc: Document, path: YamlPath): Node | undefined {
  let node = (doc.contents as Node | null) ?? undefined;
  for (const segment of path) {
    if (!node) return undefined;
    const next = child(doc, node, segment);
    if (!next) return node;
    node = next;
  }
  return node;
}

/** Where the node at `path` starts, or undefined when there is no such node. */
export function positionOf(parsed: ParsedFlow, path: YamlPath): SourcePos | undefined {
  const node = nodeAt(parsed.doc, path);
  return node?.range ? lineIndexOf(parsed).pos(node.range[0]) : undefined;
}

/** Where the node at `path` starts, or its nearest existing ancestor: for issues about missing keys. */
export function nearestPositionOf(parsed: Pick<ParsedFlow, 'doc' | 'text'>, path: YamlPath): SourcePos | undefined {
  const node = nearestNode(parsed.doc, path);
  return node?.range ? lineIndexOf(parsed).pos(node.range[0]) : undefined;
}

/** Where the key of the map entry at `path` starts: for issues about a key itself. */
export function keyPositionOf(parsed: Pick<ParsedFlow, 'doc' | 'text'>, path: YamlPath): SourcePos | undefined {
  const parent = nodeAt(parsed.doc, path.slice(0, -1));
  const last = path[path.length - 1];
  if (!isMap(parent) || last === undefined) return undefined;
  const pair = parent.items.find((p) => keyMatches(p.key, last));
  const key = pair?.key as Node | undefined;
  return key?.range ? lineIndexOf(parsed).pos(key.range[0]) : undefined;
}

/** `tasks[2].then[0].id`, the way issues name a place. */
export function formatPath(path: YamlPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
