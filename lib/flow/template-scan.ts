/**
 * Finding the variables a Pebble template reads, without rendering it: `outputs.<id>.<name>`,
 * `inputs.<id>`, `vars.<name>`, `trigger.<name>`, `taskrun.<name>`, `parent`/`parents`, and the
 * `secret('…')` and `kv('…')` calls, each with its offsets in the text. A small tokenizer, so
 * string literals, filters (`| date(…)`), tests (`is defined`) and hash keys are told apart
 * from variables; the template is otherwise not parsed, so a broken one still gives what it can.
 */

export type ReferenceRoot = 'outputs' | 'inputs' | 'vars' | 'trigger' | 'taskrun' | 'parents' | 'parent';

/** One step after the root: `.name` or `['name']` is a name, `[expr]` is dynamic. */
export type Segment = { kind: 'name'; name: string } | { kind: 'dynamic' };

export interface VariableReference {
  kind: 'variable';
  root: ReferenceRoot;
  segments: Segment[];
  /** The reference as written, e.g. `outputs.extract.outputFiles['data.csv']`. */
  text: string;
  /** Offsets of `text` in the scanned string. */
  start: number;
  end: number;
  /** Followed by `??`, `| default(…)` or `is [not] defined|null|empty`: a missing value is handled. */
  guarded: boolean;
  /** The first argument of `render(…)` / `renderOnce(…)`: its own templates run where it is rendered. */
  rendered: boolean;
}

export interface CallReference {
  kind: 'call';
  name: 'secret' | 'kv';
  /** Each positional argument: its value when it is a string or boolean literal, else undefined. */
  args: LiteralValue[];
  /** Named arguments (`errorOnMissing=false`), the same way. */
  named: Record<string, LiteralValue>;
  text: string;
  start: number;
  end: number;
  guarded: boolean;
}

export type TemplateReference = VariableReference | CallReference;

export type LiteralValue = string | boolean | undefined;

const ROOTS: ReadonlySet<string> = new Set<ReferenceRoot>(['outputs', 'inputs', 'vars', 'trigger', 'taskrun', 'parents', 'parent']);
const CALLS: ReadonlySet<string> = new Set(['secret', 'kv']);

interface Token {
  kind: 'name' | 'string' | 'number' | 'punct';
  value: string;
  start: number;
  end: number;
}

/** Every reference in a text, in order. Text outside `{{ … }}` and `{% … %}` is not read. */
export function templateReferences(text: string): TemplateReference[] {
  const refs: TemplateReference[] = [];
  for (const tokens of templateRegions(text)) refs.push(...referencesIn(tokens, text));
  return refs;
}

/** The tokens of each `{{ … }}` and `{% … %}` region; comments and `{% raw %}` blocks are skipped. */
function templateRegions(text: string): Token[][] {
  const regions: Token[][] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{', i);
    if (open < 0 || open + 1 >= text.length) break;
    const next = text[open + 1];
    if (next === '#') {
      const close = text.indexOf('#}', open + 2);
      i = close < 0 ? text.length : close + 2;
      continue;
    }
    if (next !== '{' && next !== '%') {
      i = open + 1;
      continue;
    }
    const closer = next === '{' ? '}}' : '%}';
    const { tokens, end } = tokenize(text, open + 2, closer);
    if (next === '%' && tokens[0]?.value === 'raw') {
      const endraw = /\{%-?\s*endraw\s*-?%\}/g;
      endraw.lastIndex = end;
      const match = endraw.exec(text);
      i = match ? match.index + match[0].length : text.length;
      continue;
    }
    regions.push(tokens);
    i = end;
  }
  return regions;
}

/** Tokens from `from` up to the closing `}}` / `%}` outside string literals; `end` is just after it. */
function tokenize(text: string, from: number, closer: '}}' | '%}'): { tokens: Token[]; end: number } {
  const tokens: Token[] = [];
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (text.startsWith(closer, i)) return { tokens, end: i + 2 };
    // Whitespace control: `-}}`, `-%}`.
    if (c === '-' && text.startsWith(closer, i + 1)) return { tokens, end: i + 3 };
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j];
        j++;
      }
      tokens.push({ kind: 'string', value, start: i, end: Math.min(j + 1, text.length) });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 200));
      const value = m ? m[0] : c;
      tokens.push({ kind: 'name', value, start: i, end: i + value.length });
      i += value.length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(text.slice(i, i + 50));
      const value = m ? m[0] : c;
      tokens.push({ kind: 'number', value, start: i, end: i + value.length });
      i += value.length;
    } else {
      const two = text.slice(i, i + 2);
      const value = ['??', '==', '!=', '<=', '>=', '..'].includes(two) ? two : c;
      tokens.push({ kind: 'punct', value, start: i, end: i + value.length });
      i += value.length;
    }
  }
  return { tokens, end: text.length };
}

function isPunct(token: Token | undefined, value: string): boolean {
  return token?.kind === 'punct' && token.value === value;
}

function isName(token: Token | undefined, value?: string): boolean {
  return token?.kind === 'name' && (value === undefined || token.value === value);
}

/** Index of the bracket closing the one at `open`, or -1. */
function closing(tokens: Token[], open: number): number {
  const pairs: Record<string, string> = { '[': ']', '(': ')', '{': '}' };
  const want = pairs[tokens[open].value];
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    const v = tokens[j].kind === 'punct' ? tokens[j].value : '';
    if (v === tokens[open].value) depth++;
    else if (v === want && --depth === 0) return j;
  }
  return -1;
}

/** True when the tokens from `at` handle a missing value: `??`, `| default`, `is [not] defined|null|empty`. */
function guardedAt(tokens: Token[], at: number): boolean {
  if (isPunct(tokens[at], '??')) return true;
  if (isPunct(tokens[at], '|') && isName(tokens[at + 1], 'default')) return true;
  if (isName(tokens[at], 'is')) {
    const test = isName(tokens[at + 1], 'not') ? tokens[at + 2] : tokens[at + 1];
    return isName(test) && ['defined', 'null', 'empty'].includes(test!.value);
  }
  return false;
}

function referencesIn(tokens: Token[], text: string): TemplateReference[] {
  const refs: TemplateReference[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind !== 'name') continue;
    const before = tokens[i - 1];
    // `a.outputs` is a property, `| inputs` a filter, `is defined` a test.
    if (isPunct(before, '.') || isPunct(before, '|') || isName(before, 'is')) continue;
    if (CALLS.has(token.value) && isPunct(tokens[i + 1], '(')) {
      const close = closing(tokens, i + 1);
      if (close < 0) continue;
      refs.push({
        kind: 'call',
        name: token.value as 'secret' | 'kv',
        ...callArguments(tokens, i + 1, close),
        text: text.slice(token.start, tokens[close].end),
        start: token.start,
        end: tokens[close].end,
        guarded: guardedAt(tokens, close + 1),
      });
      continue;
    }
    if (!ROOTS.has(token.value) || isPunct(tokens[i + 1], '(')) continue;
    // A hash literal's key: `{ inputs: 1 }`.
    if (isPunct(tokens[i + 1], ':') && (isPunct(before, '{') || isPunct(before, ','))) continue;
    const segments: Segment[] = [];
    let j = i + 1;
    for (;;) {
      if (isPunct(tokens[j], '.') && (tokens[j + 1]?.kind === 'name' || tokens[j + 1]?.kind === 'number')) {
        segments.push({ kind: 'name', name: tokens[j + 1].value });
        j += 2;
      } else if (isPunct(tokens[j], '[')) {
        const close = closing(tokens, j);
        if (close < 0) break;
        const inner = tokens.slice(j + 1, close);
        segments.push(inner.length === 1 && (inner[0].kind === 'string' || inner[0].kind === 'number') ? { kind: 'name', name: inner[0].value } : { kind: 'dynamic' });
        j = close + 1;
      } else {
        break;
      }
    }
    const rendered = isPunct(before, '(') && isName(tokens[i - 2]) && ['render', 'renderOnce'].includes(tokens[i - 2].value);
    refs.push({
      kind: 'variable',
      root: token.value as ReferenceRoot,
      segments,
      text: text.slice(token.start, tokens[j - 1].end),
      start: token.start,
      end: tokens[j - 1].end,
      guarded: guardedAt(tokens, j),
      rendered,
    });
  }
  return refs;
}

function callArguments(tokens: Token[], open: number, close: number): { args: LiteralValue[]; named: Record<string, LiteralValue> } {
  const parts: Token[][] = [[]];
  for (let j = open + 1; j < close; j++) {
    const t = tokens[j];
    if (t.kind === 'punct' && ['(', '[', '{'].includes(t.value)) {
      const end = closing(tokens, j);
      parts[parts.length - 1].push(...tokens.slice(j, end + 1));
      j = end < 0 ? close : end;
    } else if (isPunct(t, ',')) {
      parts.push([]);
    } else {
      parts[parts.length - 1].push(t);
    }
  }
  const literal = (arg: Token[]): LiteralValue => {
    if (arg.length !== 1) return undefined;
    if (arg[0].kind === 'string') return arg[0].value;
    if (isName(arg[0], 'true')) return true;
    if (isName(arg[0], 'false')) return false;
    return undefined;
  };
  const args: LiteralValue[] = [];
  const named: Record<string, LiteralValue> = {};
  for (const part of parts) {
    if (part.length === 0) continue;
    if (isName(part[0]) && isPunct(part[1], '=')) named[part[0].value] = literal(part.slice(2));
    else args.push(literal(part));
  }
  return { args, named };
}
