/**
 * Which query results a task run's outputs hold, in the shapes Kestra's JDBC plugins give
 * them: `row` (FETCH_ONE), `rows` + `size` (FETCH), `uri` + `size` (STORE, an Ion file),
 * and `outputs: [...]` with one of those per statement that returned rows (`Queries`).
 */

export type JsonRecord = Record<string, unknown>;

export type QueryResult =
  /** FETCH_ONE: the first row, or null when the query returned none. */
  | { kind: 'row'; row: JsonRecord | null }
  /** FETCH: every row, in the outputs; `note` says when the row cap cut it. */
  | { kind: 'rows'; rows: JsonRecord[]; size: number; note?: string }
  /** STORE (or any stored file in `uri`): read page by page from the server. */
  | { kind: 'stored'; uri: string; size?: number };

export interface CellResult {
  /** Stable within a cell: `result` for a single result, `statement-<n>` for `Queries`. */
  key: string;
  /** Short tab label: the statement's first words, or "Result <n>". */
  label: string;
  /** The whole statement, when known (a tooltip). */
  statement?: string;
  result: QueryResult;
}

function isRecord(v: unknown): v is JsonRecord {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isRowList(v: unknown): v is JsonRecord[] {
  return Array.isArray(v) && v.every(isRecord);
}

/** One output object as a result, or undefined when it holds none (fetchType NONE). */
export function resultOf(output: JsonRecord): QueryResult | undefined {
  if (isRowList(output.rows)) {
    const size = typeof output.size === 'number' ? output.size : output.rows.length;
    return { kind: 'rows', rows: output.rows, size, note: typeof output.note === 'string' ? output.note : undefined };
  }
  if (typeof output.uri === 'string' && output.uri.startsWith('kestra:///')) {
    return { kind: 'stored', uri: output.uri, size: typeof output.size === 'number' ? output.size : undefined };
  }
  if ('row' in output && (output.row === null || isRecord(output.row))) return { kind: 'row', row: output.row };
  return undefined;
}

/** How many rows a result has, when known without reading it. */
export function rowCount(result: QueryResult): number | undefined {
  switch (result.kind) {
    case 'row':
      return result.row ? 1 : 0;
    case 'rows':
      return result.size;
    case 'stored':
      return result.size;
  }
}

/**
 * The statements of a SQL text, split at `;` outside quotes, dollar quotes and comments.
 * Good enough to label results; the tasks use their own splitter to run SQL.
 */
export function splitSql(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      i++;
      while (i < n) {
        if (sql[i] === c && sql[i + 1] === c) i += 2;
        else if (sql[i] === c) break;
        else i++;
      }
      i++;
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? n : end + tag[0].length;
      } else i++;
    } else if (c === ';') {
      out.push(sql.slice(start, i));
      start = ++i;
    } else i++;
  }
  out.push(sql.slice(start));
  return out.map(stripComments).filter((s) => s !== '');
}

function stripComments(statement: string): string {
  return statement
    .replace(/^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)+/, '')
    .trim();
}

/** Statements whose first word makes a result set (or that end in RETURNING). */
const ROW_KEYWORDS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'PRAGMA', 'FROM', 'SUMMARIZE', 'CALL']);

export function returnsRows(statement: string): boolean {
  const first = /^\(?\s*([A-Za-z]+)/.exec(statement)?.[1]?.toUpperCase();
  if (!first) return false;
  if (ROW_KEYWORDS.has(first)) return true;
  return /\bRETURNING\b/i.test(statement);
}

/** A statement's first words on one line, for a tab. */
export function statementLabel(statement: string, max = 36): string {
  const flat = statement.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

/**
 * The results a task run shows, each with a label. `sql` (the cell's SQL, when it has one)
 * names the statements of a `Queries` task when they line up with its outputs.
 */
export function cellResults(outputs: JsonRecord | undefined, sql?: string): CellResult[] {
  if (!outputs) return [];
  if (Array.isArray(outputs.outputs) && outputs.outputs.every(isRecord)) {
    const entries: JsonRecord[] = outputs.outputs;
    const statements = sql ? splitSql(sql).filter(returnsRows) : [];
    const named = statements.length === entries.length;
    const results: CellResult[] = [];
    entries.forEach((entry, i) => {
      const result = resultOf(entry);
      if (!result) return;
      results.push({
        key: `statement-${i + 1}`,
        label: named ? statementLabel(statements[i]) : `Result ${i + 1}`,
        statement: named ? statements[i] : undefined,
        result,
      });
    });
    return results;
  }
  const single = resultOf(outputs);
  return single ? [{ key: 'result', label: 'Result', result: single }] : [];
}
