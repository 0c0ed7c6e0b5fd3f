/**
 * Reading SQL text the way a database does, without a parser: which characters are code
 * (not inside a string, quoted identifier or comment). Statement splitting, `:name`
 * parameters and error positions are all built on that.
 */

/** For each character of `sql`, whether it is code (true) or inside a literal or comment. */
export function codeMask(sql: string): Uint8Array {
  const mask = new Uint8Array(sql.length);
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (c === "'") {
      // E'…' strings allow backslash escapes; plain ones only double the quote.
      const backslashes = i > 0 && /[eE]/.test(sql[i - 1]) && (i < 2 || !/[A-Za-z0-9_]/.test(sql[i - 2]));
      i++;
      while (i < n) {
        if (backslashes && sql[i] === '\\') i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < n) {
        if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
        else if (sql[i] === '"') break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      const prev = i > 0 ? sql[i - 1] : '';
      if (m && !/[A-Za-z0-9_]/.test(prev)) {
        const tag = m[0];
        const end = sql.indexOf(tag, i + tag.length);
        i = end < 0 ? n : end + tag.length;
        continue;
      }
    }
    mask[i] = 1;
    i++;
  }
  return mask;
}

export interface SqlStatement {
  /** The statement without its trailing `;`, trimmed. */
  text: string;
  /** Offset of `text` in the whole SQL. */
  start: number;
}

function onlyComments(text: string): boolean {
  const mask = codeMask(text);
  for (let i = 0; i < text.length; i++) if (mask[i] && !/\s/.test(text[i])) return false;
  return true;
}

/** Splits on top-level `;`, dropping statements that are empty or only comments. */
export function splitStatements(sql: string): SqlStatement[] {
  const mask = codeMask(sql);
  const out: SqlStatement[] = [];
  let from = 0;
  const push = (to: number) => {
    const raw = sql.slice(from, to);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text && !onlyComments(text)) out.push({ text, start: from + lead });
  };
  for (let i = 0; i < sql.length; i++) {
    if (mask[i] && sql[i] === ';') {
      push(i);
      from = i + 1;
    }
  }
  push(sql.length);
  return out;
}

/**
 * Rewrites Kestra's `:name` placeholders for the driver. `::` casts, strings and comments
 * are left alone. Returns the names in order of first appearance.
 */
export function rewriteNamedParameters(sql: string, placeholder: (name: string, index: number) => string): { sql: string; names: string[] } {
  const mask = codeMask(sql);
  const names: string[] = [];
  let out = '';
  let i = 0;
  while (i < sql.length) {
    if (mask[i] && sql[i] === ':' && sql[i + 1] === ':') {
      out += '::';
      i += 2;
      continue;
    }
    if (mask[i] && sql[i] === ':' && (i === 0 || sql[i - 1] !== ':')) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1, i + 129));
      if (m) {
        let index = names.indexOf(m[0]);
        if (index < 0) index = names.push(m[0]) - 1;
        out += placeholder(m[0], index);
        i += 1 + m[0].length;
        continue;
      }
    }
    out += sql[i];
    i++;
  }
  return { sql: out, names };
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
