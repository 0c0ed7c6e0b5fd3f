/**
 * Splits a template into tokens the way Pebble's `LexerImpl` does (Kestra settings:
 * newline trimming off). Text runs until the next `{{`, `{%` or `{#`; inside a tag,
 * operators are matched before names, so `or`, `and`, `is not`... are operators only
 * when no letter, digit or `_` follows.
 */
import { TemplateError, type SourcePosition } from './errors';

export type Token =
  | { type: 'text'; value: string; pos: SourcePosition; offset: number }
  | { type: 'printStart' | 'executeStart'; pos: SourcePosition; offset: number }
  | { type: 'printEnd' | 'executeEnd'; pos: SourcePosition; offset: number; end: number }
  | { type: 'name' | 'number' | 'long' | 'string' | 'operator' | 'punct'; value: string; pos: SourcePosition; offset: number }
  | { type: 'interpStart' | 'interpEnd' | 'eof'; pos: SourcePosition; offset: number };

/** Longest first, as Pebble sorts them, so `is not` wins over `is` and `???` over `??`. */
const OPERATORS = [
  'contains', 'is not', 'equals', '???', 'and', 'not', '??', '==', '!=', '>=', '<=', '..', 'or', 'is',
  '+', '-', '*', '/', '%', '|', '~', '>', '<',
];
const WORD_END = /[a-zA-Z0-9_]/;
const PUNCTUATION = '()[]{}?:.,|=';
const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*/u;
const LONG = /^[0-9]+L/;
const NUMBER = /^[0-9]+(\.[0-9]+)?/;
const STRING_PLAIN = /^"([^#"\\]*(?:\\.[^#"\\]*)*)"|^'([^'\\]*(?:\\.[^'\\]*)*)'/s;
const STRING_PART = /^[^#"\\]*(?:(?:\\.|#(?!\{))[^#"\\]*)*/s;
const START_DELIMITER = /\{\{|\{%|\{#/g;
const VERBATIM_START = /^\s*verbatim\s*(-)?%\}/;
const VERBATIM_END = /\{%(-)?\s*endverbatim\s*(-)?%\}/g;

type State = 'data' | 'print' | 'execute' | 'string' | 'interpolation';

export function tokenize(source: string, templateName: string = source): Token[] {
  return new Lexer(source, templateName).run();
}

class Lexer {
  private cursor = 0;
  private line = 1;
  private column = 1;
  private readonly tokens: Token[] = [];
  private readonly states: State[] = ['data'];
  private readonly brackets: { char: string; pos: SourcePosition }[] = [];
  private trimNextText = false;

  constructor(
    private readonly source: string,
    private readonly name: string,
  ) {}

  run(): Token[] {
    while (this.cursor < this.source.length) {
      switch (this.states[this.states.length - 1]) {
        case 'data': this.lexData(); break;
        case 'print': this.lexInsideTag('}}', 'printEnd'); break;
        case 'execute': this.lexInsideTag('%}', 'executeEnd'); break;
        case 'string': this.lexString(); break;
        case 'interpolation': this.lexInterpolation(); break;
      }
    }
    const state = this.states[this.states.length - 1];
    if (state === 'print' || state === 'execute') {
      throw this.error(`Unclosed "${state === 'print' ? '{{' : '{%'}": the tag never ends with "${state === 'print' ? '}}' : '%}'}"`);
    }
    if (this.brackets.length > 0) {
      const open = this.brackets[this.brackets.length - 1];
      throw this.error(`Unclosed "${open.char}" opened at line ${open.pos.line}, column ${open.pos.column}`);
    }
    this.tokens.push({ type: 'eof', pos: this.pos(), offset: this.cursor });
    return this.tokens;
  }

  private pos(): SourcePosition {
    return { line: this.line, column: this.column };
  }

  private error(message: string): TemplateError {
    const p = this.pos();
    return new TemplateError(`${message} in '${this.name}' at line ${p.line}, column ${p.column}`, { template: this.name, position: p });
  }

  private rest(): string {
    return this.source.slice(this.cursor);
  }

  private advance(n: number): void {
    const end = this.cursor + n;
    for (let i = this.cursor; i < end; i++) {
      if (this.source[i] === '\n') {
        this.line++;
        this.column = 1;
      } else {
        this.column++;
      }
    }
    this.cursor = end;
  }

  private pushText(value: string, pos: SourcePosition, offset: number): Extract<Token, { type: 'text' }> | undefined {
    if (value === '') return undefined;
    const token = { type: 'text' as const, value, pos, offset };
    this.tokens.push(token);
    return token;
  }

  private lexData(): void {
    START_DELIMITER.lastIndex = this.cursor;
    const match = START_DELIMITER.exec(this.source);
    const pos = this.pos();
    const offset = this.cursor;
    let text = match ? this.source.slice(this.cursor, match.index) : this.rest();
    if (this.trimNextText) {
      text = text.replace(/^\s+/, '');
      this.trimNextText = false;
    }
    this.advance((match ? match.index : this.source.length) - this.cursor);
    const textToken = this.pushText(text, pos, offset);
    if (!match) return;

    const delimiter = match[0];
    const tagPos = this.pos();
    const tagOffset = this.cursor;
    this.advance(2);
    // `{{- x`: the dash trims whitespace before the tag, but only when whitespace follows it.
    const trim = /^-\s+/.exec(this.rest());
    if (trim) {
      if (textToken) {
        textToken.value = textToken.value.replace(/\s+$/, '');
        if (textToken.value === '') this.tokens.pop();
      }
      this.advance(trim[0].length);
    }
    if (delimiter === '{#') {
      this.lexComment();
    } else if (delimiter === '{{') {
      this.tokens.push({ type: 'printStart', pos: tagPos, offset: tagOffset });
      this.states.push('print');
    } else {
      const verbatim = VERBATIM_START.exec(this.rest());
      if (verbatim) this.lexVerbatim(verbatim);
      else {
        this.tokens.push({ type: 'executeStart', pos: tagPos, offset: tagOffset });
        this.states.push('execute');
      }
    }
  }

  private lexComment(): void {
    const close = this.source.indexOf('#}', this.cursor);
    if (close < 0) throw this.error('Unclosed comment "{#"');
    if (/\s-$/.test(this.source.slice(this.cursor, close))) this.trimNextText = true;
    this.advance(close + 2 - this.cursor);
  }

  private lexVerbatim(start: RegExpExecArray): void {
    this.advance(start[0].length);
    VERBATIM_END.lastIndex = this.cursor;
    const end = VERBATIM_END.exec(this.source);
    if (!end) throw this.error('Unclosed verbatim tag');
    let text = this.source.slice(this.cursor, end.index);
    if (start[1] !== undefined) text = text.replace(/^\s+/, '');
    if (end[1] !== undefined) text = text.replace(/\s+$/, '');
    const pos = this.pos();
    const offset = this.cursor;
    this.advance(end.index + end[0].length - this.cursor);
    this.pushText(text, pos, offset);
    if (end[2] !== undefined) this.trimNextText = true;
  }

  private lexInsideTag(close: '}}' | '%}', endType: 'printEnd' | 'executeEnd'): void {
    if (new RegExp(`^\\s*-${close === '}}' ? '\\}\\}' : '%\\}'}`).test(this.rest())) this.trimNextText = true;
    const closing = new RegExp(`^\\s*-?${close === '}}' ? '\\}\\}' : '%\\}'}`).exec(this.rest());
    if (this.brackets.length === 0 && closing) {
      const pos = this.pos();
      const offset = this.cursor;
      this.advance(closing[0].length);
      this.tokens.push({ type: endType, pos, offset, end: this.cursor });
      this.states.pop();
      return;
    }
    this.lexExpressionToken();
  }

  private lexString(): void {
    if (this.rest().startsWith('#{')) {
      this.brackets.push({ char: '#{', pos: this.pos() });
      this.tokens.push({ type: 'interpStart', pos: this.pos(), offset: this.cursor });
      this.advance(2);
      this.states.push('interpolation');
      return;
    }
    const part = STRING_PART.exec(this.rest());
    if (part && part[0].length > 0) {
      this.tokens.push({ type: 'string', value: part[0], pos: this.pos(), offset: this.cursor });
      this.advance(part[0].length);
      return;
    }
    if (this.source[this.cursor] === '"') {
      this.brackets.pop();
      this.states.pop();
      this.advance(1);
      return;
    }
    throw this.error('Unclosed string "\\""');
  }

  private lexInterpolation(): void {
    const top = this.brackets[this.brackets.length - 1];
    const close = /^\s*\}/.exec(this.rest());
    if (top?.char === '#{' && close) {
      this.brackets.pop();
      this.advance(close[0].length);
      this.tokens.push({ type: 'interpEnd', pos: this.pos(), offset: this.cursor });
      this.states.pop();
      return;
    }
    this.lexExpressionToken();
  }

  private lexExpressionToken(): void {
    const ws = /^\s+/.exec(this.rest());
    if (ws) {
      this.advance(ws[0].length);
      if (this.cursor >= this.source.length) return;
      // Whitespace may have brought us to the closing delimiter: let the caller see it.
      return;
    }
    const rest = this.rest();
    const pos = this.pos();
    const offset = this.cursor;

    for (const op of OPERATORS) {
      if (!rest.startsWith(op)) continue;
      if (/[a-z]$/.test(op) && WORD_END.test(rest.charAt(op.length))) continue;
      this.tokens.push({ type: 'operator', value: op, pos, offset });
      this.advance(op.length);
      return;
    }
    const ident = IDENTIFIER.exec(rest);
    if (ident) {
      this.tokens.push({ type: 'name', value: ident[0], pos, offset });
      this.advance(ident[0].length);
      return;
    }
    const long = LONG.exec(rest);
    if (long) {
      this.tokens.push({ type: 'long', value: long[0].slice(0, -1), pos, offset });
      this.advance(long[0].length);
      return;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      this.tokens.push({ type: 'number', value: num[0], pos, offset });
      this.advance(num[0].length);
      return;
    }
    const ch = rest.charAt(0);
    if (PUNCTUATION.includes(ch)) {
      if ('([{'.includes(ch)) this.brackets.push({ char: ch, pos });
      else if (')]}'.includes(ch)) {
        const open = this.brackets.pop();
        const expected = open ? { '(': ')', '[': ']', '{': '}' }[open.char] : undefined;
        if (expected !== ch) throw this.error(open ? `Unclosed "${open.char}": expected "${expected ?? '}'}" but found "${ch}"` : `Unexpected "${ch}"`);
      }
      this.tokens.push({ type: 'punct', value: ch, pos, offset });
      this.advance(1);
      return;
    }
    const plain = STRING_PLAIN.exec(rest);
    if (plain) {
      const value = plain[1] !== undefined
        ? plain[1].replaceAll('\\"', '"').replaceAll('\\\\', '\\')
        : plain[2].replaceAll("\\'", "'").replaceAll('\\\\', '\\');
      this.tokens.push({ type: 'string', value, pos, offset });
      this.advance(plain[0].length);
      return;
    }
    if (ch === '"') {
      this.brackets.push({ char: '"', pos });
      this.states.push('string');
      this.advance(1);
      return;
    }
    throw this.error(`Unexpected character "${ch}"`);
  }
}
