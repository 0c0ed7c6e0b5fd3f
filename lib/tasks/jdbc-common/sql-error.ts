/**
 * Database errors as the user should read them: the database's own message, then where:
 * task, statement number, line and column in the rendered SQL, and that line itself.
 */
import { TaskError } from '../types';
import { lineAndColumn, type SqlStatement } from './sql-text';

export interface SqlErrorPlace {
  taskId: string;
  /** The whole rendered SQL. */
  sql: string;
  statement: SqlStatement;
  index: number;
  count: number;
  /** 0-based offset inside the statement when the database reported one. */
  offsetInStatement?: number;
}

export function sqlTaskError(message: string, place: SqlErrorPlace, cause: unknown): TaskError {
  const offset = place.statement.start + (place.offsetInStatement ?? 0);
  const { line, column } = lineAndColumn(place.sql, offset);
  const sqlLine = place.sql.split('\n')[line - 1] ?? '';
  const where =
    place.offsetInStatement !== undefined ? `line ${line}, column ${column}` : `starting at line ${line}`;
  const pointer = place.offsetInStatement !== undefined ? `\n${' '.repeat(String(line).length + 3 + column - 1)}^` : '';
  const text =
    `${message.trim()}\n` +
    `in task '${place.taskId}', statement ${place.index + 1} of ${place.count} (${where}):\n` +
    `${line} | ${sqlLine}${pointer}`;
  return new TaskError(text, { cause });
}
