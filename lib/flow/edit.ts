/**
 * Editing a flow the way the notebook edits a cell: each edit splices the source text of the
 * one node it changes (re-indented to fit), then re-parses. Text outside the edited range
 * stays byte-identical, comments included.
 */
import { isMap, isScalar, isSeq, parseDocument, stringify, type Pair } from 'yaml';
import { reparse } from './parse';
import { nodeAt } from './positions';
import {
  dedent, eolOf, FlowEditError, lineEndOf, lineStartOf, locateTask, nextLineStart, reindent, spanAt, type TaskSpan,
} from './task-spans';
import type { ParsedFlow } from './types';

export { FlowEditError } from './task-spans';
export { notesBefore, setNoteBefore } from './notes';

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** The task's source text, dedented: what a cell's editor shows. */
export function taskText(parsed: ParsedFlow, taskId: string): string {
  const span = locateTask(parsed, taskId);
  return dedent(parsed.text.slice(span.mapStart, span.contentEnd), span.column);
}

/** Checks a cell's YAML is one task map; returns it without trailing blank lines. */
function checkTaskYaml(taskYaml: string): string {
  const doc = parseDocument(taskYaml);
  const [error] = doc.errors;
  if (error) {
    const at = error.linePos ? ` (line ${error.linePos[0].line}, column ${error.linePos[0].col})` : '';
    throw new FlowEditError(`the task's YAML is invalid${at}: ${error.message.split('\n')[0]}`);
  }
  if (!isMap(doc.contents)) throw new FlowEditError("a task's YAML must be a map with `id` and `type`");
  if (typeof doc.get('id') !== 'string') throw new FlowEditError('the task needs a string `id`');
  return taskYaml.replace(/^(\s*\n)+/, '').replace(/\s+$/, '');
}

/** Replaces a whole task with a cell's YAML (a map, unindented). */
export function replaceTask(parsed: ParsedFlow, taskId: string, taskYaml: string): ParsedFlow {
  const body = checkTaskYaml(taskYaml);
  const span = locateTask(parsed, taskId);
  const eol = eolOf(parsed.text);
  return reparse(parsed, splice(parsed.text, span.mapStart, span.contentEnd, reindent(body, span.column, eol)));
}

/** `- ` plus the spacing the list already uses between the dash and the map. */
function itemPrefix(span: Pick<TaskSpan, 'dashColumn' | 'column' | 'lineStart' | 'mapStart'>, text: string): string {
  const sameLine = lineStartOf(text, span.mapStart) === span.lineStart;
  const gap = sameLine ? Math.max(1, span.column - span.dashColumn - 1) : 1;
  return ' '.repeat(span.dashColumn) + '-' + ' '.repeat(gap);
}

/** Whether the list separates its items with a blank line (the course flows do). */
function usesBlankLines(text: string, span: TaskSpan): boolean {
  const { seq, index } = span;
  const neighbour = index + 1 < seq.items.length ? index + 1 : index - 1;
  if (neighbour < 0) return false;
  const [upper, lower] = neighbour > index ? [span, spanAt(text, seq, neighbour, span.path)] : [spanAt(text, seq, neighbour, span.path), span];
  return /\n[ \t]*\r?\n/.test(text.slice(upper.contentEnd, lower.blockStart));
}

/**
 * Inserts a task (a cell's YAML map) after `afterTaskId`, in the same list; with null, as the
 * first task of the flow's `tasks`.
 */
export function insertTask(parsed: ParsedFlow, afterTaskId: string | null, taskYaml: string): ParsedFlow {
  const body = checkTaskYaml(taskYaml);
  const { text } = parsed;
  const eol = eolOf(text);
  if (afterTaskId !== null) {
    const span = locateTask(parsed, afterTaskId);
    const prefix = itemPrefix(span, text);
    const gap = usesBlankLines(text, span) ? eol + eol : eol;
    return reparse(parsed, splice(text, span.contentEnd, span.contentEnd, gap + prefix + reindent(body, prefix.length, eol)));
  }

  const tasks = nodeAt(parsed.doc, ['tasks']);
  if (isSeq(tasks) && !tasks.flow && tasks.items.length > 0) {
    const first = spanAt(text, tasks, 0, ['tasks', 0]);
    const prefix = itemPrefix(first, text);
    const gap = usesBlankLines(text, first) ? eol + eol : eol;
    return reparse(parsed, splice(text, first.blockStart, first.blockStart, prefix + reindent(body, prefix.length, eol) + gap));
  }
  const root = parsed.doc.contents;
  if (!isMap(root) || root.flow) throw new FlowEditError('cannot insert a task: the flow is not a block YAML map');
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'tasks');
  const keyColumn = pair && isScalar(pair.key) && pair.key.range ? pair.key.range[0] - lineStartOf(text, pair.key.range[0]) : 0;
  const prefix = ' '.repeat(keyColumn + 2) + '- ';
  const item = prefix + reindent(body, prefix.length, eol);
  if (!pair) {
    const lead = text.length === 0 || text.endsWith('\n') ? '' : eol;
    return reparse(parsed, text + lead + 'tasks:' + eol + item + eol);
  }
  const value = pair.value;
  if ((isSeq(value) && value.items.length === 0 && value.range) || (isScalar(value) && value.value === null && value.range && value.range[1] > value.range[0])) {
    // `tasks: []` or `tasks: ~`: the value becomes the new block list.
    return reparse(parsed, spliceAfterKey(text, value.range, eol + item));
  }
  if (!isScalar(pair.key) || !pair.key.range) throw new FlowEditError('cannot insert a task: `tasks` has no position');
  const colon = text.indexOf(':', pair.key.range[1]);
  const end = lineEndOf(text, colon);
  return reparse(parsed, splice(text, end, end, eol + item));
}

/** Replaces an inline value (`[]`, `~`) with text starting on the key's line. */
function spliceAfterKey(text: string, range: [number, number, number], insert: string): string {
  let start = range[0];
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return splice(text, start, range[1], insert);
}

/** Removes a task, with its note. An emptied list becomes `[]`, so the key keeps a list value. */
export function removeTask(parsed: ParsedFlow, taskId: string): ParsedFlow {
  const span = locateTask(parsed, taskId);
  const { text } = parsed;
  let end = nextLineStart(text, span.contentEnd);
  const before = text.slice(lineStartOf(text, Math.max(0, span.blockStart - 1)), span.blockStart);
  const blankBefore = span.blockStart === 0 || /^[ \t]*\r?\n$/.test(before);
  // Keep one blank line between the neighbours, not two.
  const nextLine = text.slice(end, nextLineStart(text, end));
  if (blankBefore && /^[ \t]*\r?\n$/.test(nextLine)) end += nextLine.length;
  return removeAt(parsed, span, span.blockStart, end);
}

function removeAt(parsed: ParsedFlow, span: TaskSpan, start: number, end: number): ParsedFlow {
  const { text } = parsed;
  if (span.seq.items.length > 1) return reparse(parsed, splice(text, start, end, ''));
  // The only item: leave `key: []` rather than a key with no value.
  const parent = nodeAt(parsed.doc, span.path.slice(0, -2));
  const key = span.path[span.path.length - 2];
  const pair = isMap(parent) ? (parent.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === String(key)) : undefined;
  if (!pair || !isScalar(pair.key) || !pair.key.range) return reparse(parsed, splice(text, start, end, ''));
  const colon = text.indexOf(':', pair.key.range[1]) + 1;
  return reparse(parsed, splice(splice(text, start, end, ''), colon, colon, ' []'));
}

/** Swaps a task with its previous or next sibling in the same list; at either end, nothing changes. */
export function moveTask(parsed: ParsedFlow, taskId: string, direction: 'up' | 'down'): ParsedFlow {
  const span = locateTask(parsed, taskId);
  const other = direction === 'up' ? span.index - 1 : span.index + 1;
  if (other < 0 || other >= span.seq.items.length) return parsed;
  const path = [...span.path.slice(0, -1), other];
  const neighbour = spanAt(parsed.text, span.seq, other, path);
  const [upper, lower] = direction === 'up' ? [neighbour, span] : [span, neighbour];
  const { text } = parsed;
  const upperText = text.slice(upper.blockStart, upper.contentEnd);
  const lowerText = text.slice(lower.blockStart, lower.contentEnd);
  return reparse(parsed, 
    text.slice(0, upper.blockStart) + lowerText + text.slice(upper.contentEnd, lower.blockStart) + upperText + text.slice(lower.contentEnd),
  );
}

/** `key: value` as YAML at a column: multi-line strings as `|` block scalars. */
function renderPair(property: string, value: unknown, column: number, eol: string): string {
  const yaml = stringify({ [property]: value }, { lineWidth: 0, blockQuote: 'literal' }).replace(/\n$/, '');
  return reindent(yaml, column, eol);
}

/**
 * Sets (or, with `undefined`, removes) one top-level property of a task, rewriting only that
 * property's text.
 */
export function setTaskProperty(parsed: ParsedFlow, taskId: string, property: string, value: unknown): ParsedFlow {
  return setItemProperty(parsed, locateTask(parsed, taskId), { kind: 'task', id: taskId }, property, value);
}

/**
 * Sets or removes one property of a map that is an item of a block list (a task, a trigger),
 * rewriting only that property's text; a new property goes after the map's last line.
 */
export function setItemProperty(
  parsed: ParsedFlow,
  span: TaskSpan,
  owner: { kind: 'task' | 'trigger'; id: string },
  property: string,
  value: unknown,
): ParsedFlow {
  const { text } = parsed;
  const eol = eolOf(text);
  const index = span.map.items.findIndex((p) => isScalar(p.key) && String(p.key.value) === property);
  const pair = span.map.items[index];

  if (!pair) {
    if (value === undefined) return parsed;
    const insert = eol + ' '.repeat(span.column) + renderPair(property, value, span.column, eol);
    return reparse(parsed, splice(text, span.contentEnd, span.contentEnd, insert));
  }
  if (!isScalar(pair.key) || !pair.key.range) throw new FlowEditError(`property "${property}" of ${owner.kind} "${owner.id}" has no position`);
  const keyStart = pair.key.range[0];
  const colon = text.indexOf(':', pair.key.range[1]);
  const valueNode = pair.value;
  let end = colon + 1;
  if (valueNode && typeof valueNode === 'object' && 'range' in valueNode && Array.isArray(valueNode.range)) {
    let e = valueNode.range[1];
    while (e > end && /\s/.test(text[e - 1])) e--;
    end = Math.max(end, e);
  }

  if (value !== undefined) {
    const keyColumn = keyStart - lineStartOf(text, keyStart);
    return reparse(parsed, splice(text, keyStart, end, renderPair(property, value, keyColumn, eol)));
  }
  if (property === 'id') throw new FlowEditError(`a ${owner.kind} cannot lose its \`id\``);
  if (span.map.items.length === 1) throw new FlowEditError(`"${property}" is the ${owner.kind}'s only property`);
  if (index === 0) {
    // The first property shares the `-` line: the next key moves up onto it.
    const next = span.map.items[1];
    const nextStart = isScalar(next.key) && next.key.range ? next.key.range[0] : end;
    return reparse(parsed, splice(text, keyStart, nextStart, ''));
  }
  return reparse(parsed, splice(text, lineStartOf(text, keyStart), nextLineStart(text, lineEndOf(text, end)), ''));
}
