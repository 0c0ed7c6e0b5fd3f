/**
 * Where a task sits in the source text: the byte ranges edits splice. Offsets only; no
 * re-stringifying, so text outside a span never changes.
 */
import { isMap, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import { nodeAt } from './positions';
import type { ParsedFlow, YamlPath } from './types';
import { isRecord, rawTaskEntries } from './walk';
import { MAX_ALIAS_COUNT } from './read-flow';

export class FlowEditError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FlowEditError';
  }
}

export const NOTE_MARKER = '# %% [markdown]';
const MARKER_LINE = /^[ \t]*# %% \[markdown\][ \t]*$/;
const COMMENT_LINE = /^[ \t]*#/;

export interface TaskSpan {
  map: YAMLMap;
  seq: YAMLSeq;
  index: number;
  /** Path of the task in the document. */
  path: YamlPath;
  /** First character of the task's map (after `- `). */
  mapStart: number;
  /** End of the task's last line (before its line break). */
  contentEnd: number;
  /** Start of the line holding the `-` indicator. */
  lineStart: number;
  /** 0-based column of the `-` and of the map's keys. */
  dashColumn: number;
  column: number;
  /** Start of the `# %% [markdown]` line of the task's note, when it has one. */
  noteStart?: number;
  /** Where the task's block starts: its note, else its `-` line. */
  blockStart: number;
}

export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function lineStartOf(text: string, offset: number): number {
  const i = text.lastIndexOf('\n', offset - 1);
  return i + 1;
}

export function lineEndOf(text: string, offset: number): number {
  let e = offset;
  while (e < text.length && text[e] !== '\n' && text[e] !== '\r') e++;
  return e;
}

/** Offset just past the line break that ends the line at `offset` (or the text's end). */
export function nextLineStart(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i + 1;
}

function trimmedEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1])) e--;
  return e;
}

/** The path of a task in the document, by id. */
export function taskPath(parsed: ParsedFlow, taskId: string): YamlPath {
  let root: unknown;
  try {
    root = parsed.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new FlowEditError(`cannot edit task "${taskId}": the YAML cannot be read`, { cause: error });
  }
  if (!isRecord(root)) throw new FlowEditError(`cannot edit task "${taskId}": the YAML is not a flow map`);
  for (const entry of rawTaskEntries(root)) {
    if (isRecord(entry.value) && entry.value.id === taskId) return entry.path;
  }
  throw new FlowEditError(`no task with id "${taskId}" in the flow`);
}

export function locateTask(parsed: ParsedFlow, taskId: string): TaskSpan {
  const path = taskPath(parsed, taskId);
  const seq = nodeAt(parsed.doc, path.slice(0, -1));
  const index = path[path.length - 1];
  if (!isSeq(seq) || typeof index !== 'number') throw new FlowEditError(`task "${taskId}" is not in a list`);
  if (seq.flow) throw new FlowEditError(`task "${taskId}" is written in a flow-style list ([...]); edit the YAML text directly`);
  return spanAt(parsed.text, seq, index, path);
}

/** The span of the item at `index` of a block sequence. */
export function spanAt(text: string, seq: YAMLSeq, index: number, path: YamlPath): TaskSpan {
  const map = seq.items[index];
  if (!isMap(map) || !map.range) throw new FlowEditError(`item ${index} of the list at ${path.slice(0, -1).join('.')} is not a task map`);
  const mapStart = map.range[0];
  const contentEnd = lineEndOf(text, trimmedEnd(text, mapStart, map.range[1]));
  let dash = mapStart - 1;
  while (dash >= 0 && text[dash] !== '-') dash--;
  const lineStart = lineStartOf(text, dash);
  const dashColumn = dash - lineStart;
  const column = mapStart - lineStartOf(text, mapStart);

  // The note is the comment block right above the `-` line, after the previous item's text.
  const previous = index > 0 ? seq.items[index - 1] : undefined;
  const floor = isMap(previous) && previous.range ? lineEndOf(text, trimmedEnd(text, previous.range[0], previous.range[1])) : 0;
  let noteStart: number | undefined;
  let cursor = lineStart;
  while (cursor > floor && cursor > 0) {
    const start = lineStartOf(text, cursor - 1);
    if (start < floor) break;
    const line = text.slice(start, cursor).replace(/\r?\n$/, '');
    if (!COMMENT_LINE.test(line)) break;
    if (MARKER_LINE.test(line)) {
      noteStart = start;
      break;
    }
    cursor = start;
  }
  return { map, seq, index, path, mapStart, contentEnd, lineStart, dashColumn, column, noteStart, blockStart: noteStart ?? lineStart };
}

/** Removes up to `column` leading spaces from every line after the first. */
export function dedent(snippet: string, column: number): string {
  const lines = snippet.split(/\r?\n/);
  return lines
    .map((line, i) => {
      if (i === 0) return line;
      let n = 0;
      while (n < column && line[n] === ' ') n++;
      return line.slice(n);
    })
    .join('\n');
}

/** Indents every non-empty line after the first by `column` spaces, joined with `eol`. */
export function reindent(snippet: string, column: number, eol: string): string {
  const pad = ' '.repeat(column);
  return snippet
    .split(/\r?\n/)
    .map((line, i) => (i === 0 || line === '' ? line : pad + line))
    .join(eol);
}
