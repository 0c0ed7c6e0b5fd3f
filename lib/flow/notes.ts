/**
 * Markdown notes of a cell, kept in the YAML as a comment block right above the task:
 *
 *   # %% [markdown]
 *   # ## Extract
 *   # Downloads the month's CSV.
 *   - id: extract
 *
 * Kestra ignores comments, so a note survives export, a round trip through Kestra's editor
 * and re-import byte for byte.
 */
import { reparse } from './parse';
import { eolOf, locateTask, NOTE_MARKER } from './task-spans';

/** The comment line that opens a note. */
export const NOTE_MARKER_LINE = NOTE_MARKER;
import type { ParsedFlow } from './types';

/** The markdown note above a task, or undefined when it has none. */
export function notesBefore(parsed: ParsedFlow, taskId: string): string | undefined {
  const span = locateTask(parsed, taskId);
  if (span.noteStart === undefined) return undefined;
  const lines = parsed.text.slice(span.noteStart, span.lineStart).split(/\r?\n/);
  // First line is the marker; the block ends with the break before the `-` line.
  return lines
    .slice(1, -1)
    .map((line) => line.replace(/^[ \t]*#/, '').replace(/^ /, ''))
    .join('\n');
}

/** The comment block for a note at a column (markdown's trailing line breaks are not kept). */
export function noteBlock(markdown: string, column: number, eol: string): string {
  const pad = ' '.repeat(column);
  const lines = markdown.replace(/(\r?\n)+$/, '').split(/\r?\n/);
  return [NOTE_MARKER, ...lines.map((line) => (line === '' ? '#' : `# ${line}`))].map((line) => pad + line + eol).join('');
}

/** Writes, replaces or (with null) removes the note above a task. */
export function setNoteBefore(parsed: ParsedFlow, taskId: string, markdown: string | null): ParsedFlow {
  const span = locateTask(parsed, taskId);
  const { text } = parsed;
  const block = markdown === null ? '' : noteBlock(markdown, span.dashColumn, eolOf(text));
  const start = span.noteStart ?? span.lineStart;
  return reparse(parsed, text.slice(0, start) + block + text.slice(span.lineStart));
}
