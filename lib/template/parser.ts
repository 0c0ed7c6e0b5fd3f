/**
 * Pebble's grammar as a precedence-climbing (Pratt) parser. Precedences are Pebble's
 * (`CoreExtension`) plus Kestra's `??`/`???` (`Extension`); higher binds tighter.
 * Tags: if/elseif/else, for/else, set, filter, macro, verbatim (in the lexer). Kestra's
 * single-line `{% raw %}` is handled before parsing (see render.ts).
 */
import type { Args, BinaryOperator, Expr, TagSource, TemplateNode } from './ast';
import { TemplateError, type SourcePosition } from './errors';
import { tokenize, type Token } from './lexer';
import { makeDouble } from './values';

const BINARY: Record<string, { precedence: number; kind: 'normal' | 'filter' | 'test' }> = {
  or: { precedence: 10, kind: 'normal' },
  and: { precedence: 15, kind: 'normal' },
  is: { precedence: 20, kind: 'test' },
  'is not': { precedence: 20, kind: 'test' },
  contains: { precedence: 20, kind: 'normal' },
  '==': { precedence: 30, kind: 'normal' },
  equals: { precedence: 30, kind: 'normal' },
  '!=': { precedence: 30, kind: 'normal' },
  '>': { precedence: 30, kind: 'normal' },
  '<': { precedence: 30, kind: 'normal' },
  '>=': { precedence: 30, kind: 'normal' },
  '<=': { precedence: 30, kind: 'normal' },
  '+': { precedence: 40, kind: 'normal' },
  '-': { precedence: 40, kind: 'normal' },
  '*': { precedence: 60, kind: 'normal' },
  '/': { precedence: 60, kind: 'normal' },
  '%': { precedence: 60, kind: 'normal' },
  '|': { precedence: 100, kind: 'filter' },
  '~': { precedence: 110, kind: 'normal' },
  '..': { precedence: 120, kind: 'normal' },
  '??': { precedence: 120, kind: 'normal' },
  '???': { precedence: 120, kind: 'normal' },
};
const UNARY_PRECEDENCE = 500;
const UNARY = new Set(['not', '-', '+']);
const RESERVED = new Set(['true', 'false', 'null', 'none']);
/** Deeper nesting than this is refused rather than risking the call stack. */
const MAX_NESTING = 200;

export function parseTemplate(source: string, templateName: string = source): TemplateNode[] {
  const parser = new Parser(tokenize(source, templateName), source, templateName);
  const nodes = parser.parseBody(new Set());
  parser.expectEof();
  return nodes;
}

/** Parses a bare expression such as `inputs.x == 'a'` (no braces). */
export function parseExpression(expression: string): Expr {
  const wrapped = `{{${expression}}}`;
  const tokens = tokenize(wrapped, expression);
  const parser = new Parser(tokens, wrapped, expression);
  return parser.parseSingleExpression();
}

type NameToken = { value: string; pos: SourcePosition };

class Parser {
  private index = 0;
  private depth = 0;
  private tagStart: { offset: number; pos: SourcePosition } = { offset: 0, pos: { line: 1, column: 1 } };

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
    private readonly name: string,
  ) {}

  private cur(): Token {
    return this.tokens[this.index];
  }

  private peek(n = 1): Token {
    return this.tokens[Math.min(this.index + n, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.cur();
    if (this.index < this.tokens.length - 1) this.index++;
    return t;
  }

  private describe(t: Token): string {
    switch (t.type) {
      case 'eof': return 'the end of the template';
      case 'printEnd': return '"}}"';
      case 'executeEnd': return '"%}"';
      case 'printStart': return '"{{"';
      case 'executeStart': return '"{%"';
      case 'interpStart': return '"#{"';
      case 'interpEnd': return '"}"';
      case 'text': return 'text';
      default: return `"${t.value}"`;
    }
  }

  private error(message: string, at: { pos: SourcePosition } = this.cur()): TemplateError {
    return new TemplateError(
      `${message} in '${this.name}' at line ${at.pos.line}, column ${at.pos.column}`,
      { template: this.name, position: at.pos },
    );
  }

  private is(type: 'punct' | 'operator' | 'name', value: string, t: Token = this.cur()): boolean {
    return t.type === type && t.value === value;
  }

  private expectPunct(value: string, context: string): void {
    if (!this.is('punct', value)) throw this.error(`Expected "${value}" ${context} but found ${this.describe(this.cur())}`);
    this.next();
  }

  private expectName(context: string): NameToken {
    const t = this.cur();
    if (t.type !== 'name') throw this.error(`Expected a name ${context} but found ${this.describe(t)}`);
    this.next();
    return t;
  }

  expectEof(): void {
    if (this.cur().type !== 'eof') throw this.error(`Unexpected ${this.describe(this.cur())}`);
  }

  private tagSource(endToken: Token): TagSource {
    const end = endToken.type === 'printEnd' || endToken.type === 'executeEnd' ? endToken.end : endToken.offset;
    return { text: this.source.slice(this.tagStart.offset, end), pos: this.tagStart.pos };
  }

  parseSingleExpression(): Expr {
    this.next(); // printStart
    const expr = this.parseExpression();
    if (this.cur().type !== 'printEnd') throw this.error(`Unexpected ${this.describe(this.cur())} after the expression`);
    this.next();
    this.expectEof();
    return expr;
  }

  /** Parses nodes until one of the `stop` tag names (left unconsumed, after `{%`) or the end. */
  parseBody(stop: Set<string>): TemplateNode[] {
    const nodes: TemplateNode[] = [];
    for (;;) {
      const t = this.cur();
      if (t.type === 'eof') return nodes;
      if (t.type === 'text') {
        nodes.push({ kind: 'text', value: t.value });
        this.next();
      } else if (t.type === 'printStart') {
        this.tagStart = { offset: t.offset, pos: t.pos };
        this.next();
        const expr = this.parseExpression();
        const end = this.cur();
        if (end.type !== 'printEnd') throw this.error(`Expected "}}" but found ${this.describe(end)}`);
        this.next();
        nodes.push({ kind: 'print', expr, tag: this.tagSource(end) });
      } else if (t.type === 'executeStart') {
        const tagName = this.peek();
        if (tagName.type === 'name' && stop.has(tagName.value)) return nodes;
        this.tagStart = { offset: t.offset, pos: t.pos };
        this.next();
        nodes.push(this.parseTag());
      } else {
        throw this.error(`Unexpected ${this.describe(t)}`);
      }
    }
  }

  private expectExecuteEnd(tag: string): Token {
    const end = this.cur();
    if (end.type !== 'executeEnd') throw this.error(`Expected "%}" to close the "${tag}" tag but found ${this.describe(end)}`);
    this.next();
    return end;
  }

  /** After `{%` of a closing/branch tag: consumes `{% name`. */
  private enterTag(): { name: NameToken; start: { offset: number; pos: SourcePosition } } {
    const start = this.cur();
    this.next();
    const name = this.expectName('after "{%"');
    return { name, start: { offset: start.offset, pos: start.pos } };
  }

  private parseTag(): TemplateNode {
    const nameToken = this.expectName('after "{%"');
    switch (nameToken.value) {
      case 'if': return this.parseIf();
      case 'for': return this.parseFor();
      case 'set': {
        const variable = this.parseNewVariableName();
        this.expectPunct('=', 'in the "set" tag');
        const expr = this.parseExpression();
        const end = this.expectExecuteEnd('set');
        return { kind: 'set', name: variable, expr, tag: this.tagSource(end) };
      }
      case 'filter': return this.parseFilterBlock();
      case 'macro': return this.parseMacro();
      case 'raw':
        throw this.error('Unexpected tag name "raw": Kestra only protects a {% raw %}...{% endraw %} block that opens and closes on the same line; use {% verbatim %}...{% endverbatim %} across lines', nameToken);
      default:
        throw this.error(`Unexpected tag name "${nameToken.value}"`, nameToken);
    }
  }

  private parseIf(): TemplateNode {
    const branches: { condition: Expr; body: TemplateNode[]; tag: TagSource }[] = [];
    let condition = this.parseExpression();
    let tag = this.tagSource(this.expectExecuteEnd('if'));
    let otherwise: TemplateNode[] | undefined;
    for (;;) {
      const body = this.parseBody(new Set(['elseif', 'else', 'endif']));
      branches.push({ condition, body, tag });
      if (this.cur().type === 'eof') throw this.error('Unclosed "if" tag: expected "{% endif %}"');
      const { name, start } = this.enterTag();
      this.tagStart = start;
      if (name.value === 'elseif') {
        condition = this.parseExpression();
        tag = this.tagSource(this.expectExecuteEnd('elseif'));
        continue;
      }
      if (name.value === 'else') {
        this.expectExecuteEnd('else');
        otherwise = this.parseBody(new Set(['endif']));
        if (this.cur().type === 'eof') throw this.error('Unclosed "if" tag: expected "{% endif %}"');
        this.enterTag();
      }
      this.expectExecuteEnd('endif');
      return { kind: 'if', branches, otherwise };
    }
  }

  private parseFor(): TemplateNode {
    const variable = this.parseNewVariableName();
    if (!this.is('name', 'in')) throw this.error(`Expected "in" in the "for" tag but found ${this.describe(this.cur())}`);
    this.next();
    const iterable = this.parseExpression();
    const tag = this.tagSource(this.expectExecuteEnd('for'));
    const body = this.parseBody(new Set(['else', 'endfor']));
    if (this.cur().type === 'eof') throw this.error('Unclosed "for" tag: expected "{% endfor %}"');
    let otherwise: TemplateNode[] | undefined;
    const { name } = this.enterTag();
    if (name.value === 'else') {
      this.expectExecuteEnd('else');
      otherwise = this.parseBody(new Set(['endfor']));
      if (this.cur().type === 'eof') throw this.error('Unclosed "for" tag: expected "{% endfor %}"');
      this.enterTag();
    }
    this.expectExecuteEnd('endfor');
    return { kind: 'for', variable, iterable, body, otherwise, tag };
  }

  private parseFilterBlock(): TemplateNode {
    const filters: { name: string; args: Args; pos: SourcePosition }[] = [];
    for (;;) {
      const name = this.expectName('in the "filter" tag');
      const args = this.is('punct', '(') ? this.parseArguments() : { positional: [], named: [] };
      filters.push({ name: name.value, args, pos: name.pos });
      if (!this.is('operator', '|')) break;
      this.next();
    }
    const tag = this.tagSource(this.expectExecuteEnd('filter'));
    const body = this.parseBody(new Set(['endfilter']));
    if (this.cur().type === 'eof') throw this.error('Unclosed "filter" tag: expected "{% endfilter %}"');
    this.enterTag();
    this.expectExecuteEnd('endfilter');
    return { kind: 'filterBlock', filters, body, tag };
  }

  /** Pebble's MacroTokenParser: parameters are names, each with an optional default. */
  private parseMacro(): TemplateNode {
    const name = this.expectName('for the macro name');
    const params: { name: string; defaultValue: Expr | undefined }[] = [];
    this.expectPunct('(', 'after the macro name');
    while (!this.is('punct', ')')) {
      if (params.length > 0) this.expectPunct(',', 'between macro parameters');
      const param = this.parseNewVariableName();
      let defaultValue: Expr | undefined;
      if (this.is('punct', '=')) {
        this.next();
        defaultValue = this.parseExpression();
      }
      params.push({ name: param, defaultValue });
    }
    this.next();
    const tag = this.tagSource(this.expectExecuteEnd('macro'));
    const body = this.parseBody(new Set(['endmacro']));
    if (this.cur().type === 'eof') throw this.error('Unclosed "macro" tag: expected "{% endmacro %}"');
    this.enterTag();
    this.expectExecuteEnd('endmacro');
    return { kind: 'macro', name: name.value, params, body, tag };
  }

  private parseNewVariableName(): string {
    const t = this.expectName('for the variable name');
    if (RESERVED.has(t.value)) throw this.error(`Can not assign a value to ${t.value}`, t);
    return t.value;
  }

  parseExpression(minPrecedence = 0): Expr {
    if (++this.depth > MAX_NESTING) throw this.error(`Expression nested deeper than ${MAX_NESTING} levels`);
    try {
      return this.parseExpressionInner(minPrecedence);
    } finally {
      this.depth--;
    }
  }

  private parseExpressionInner(minPrecedence: number): Expr {
    const t = this.cur();
    let expr: Expr;
    if (t.type === 'operator' && UNARY.has(t.value)) {
      this.next();
      const operand = this.parseExpression(UNARY_PRECEDENCE);
      expr = { kind: 'unary', operator: t.value as 'not' | '-' | '+', operand, pos: t.pos };
    } else if (this.is('punct', '(')) {
      this.next();
      expr = this.parseExpression();
      this.expectPunct(')', 'to close "("');
      expr = this.parsePostfix(expr);
    } else if (this.is('punct', '[')) {
      expr = this.parseList();
    } else if (this.is('punct', '{')) {
      expr = this.parseMap();
    } else {
      expr = this.parsePrimary();
    }

    for (;;) {
      const op = this.cur();
      if (op.type !== 'operator') break;
      const info = BINARY[op.value];
      if (!info || info.precedence < minPrecedence) break;
      this.next();
      if (info.kind === 'filter') {
        const name = this.expectName('after "|"');
        const args = this.is('punct', '(') ? this.parseArguments() : { positional: [], named: [] };
        expr = { kind: 'filter', input: expr, name: name.value, args, pos: name.pos };
      } else if (info.kind === 'test') {
        const name = this.expectName(`after "${op.value}"`);
        const args = this.is('punct', '(') ? this.parseArguments() : { positional: [], named: [] };
        expr = { kind: 'test', input: expr, name: name.value, args, negated: op.value === 'is not', pos: name.pos };
      } else {
        const right = this.parseExpression(info.precedence + 1);
        expr = { kind: 'binary', operator: op.value as BinaryOperator, left: expr, right, pos: op.pos };
      }
    }

    if (minPrecedence === 0 && this.is('punct', '?')) {
      const q = this.next();
      const then = this.parseExpression();
      this.expectPunct(':', 'in the ternary "? :"');
      const otherwise = this.parseExpression();
      expr = { kind: 'ternary', condition: expr, then, otherwise, pos: q.pos };
    }
    return expr;
  }

  private parsePrimary(): Expr {
    const t = this.cur();
    let node: Expr;
    switch (t.type) {
      case 'name': {
        const v = t.value;
        if (v === 'true' || v === 'TRUE') node = { kind: 'literal', value: true, pos: t.pos };
        else if (v === 'false' || v === 'FALSE') node = { kind: 'literal', value: false, pos: t.pos };
        else if (['null', 'NULL', 'none', 'NONE'].includes(v)) node = { kind: 'literal', value: null, pos: t.pos };
        else if (this.is('punct', '(', this.peek())) {
          this.next();
          node = { kind: 'call', name: v, args: this.parseArguments(), pos: t.pos };
          return this.parsePostfix(node);
        } else node = { kind: 'variable', name: v, pos: t.pos };
        this.next();
        break;
      }
      case 'long':
        node = { kind: 'literal', value: Number(t.value), pos: t.pos };
        this.next();
        break;
      case 'number':
        node = { kind: 'literal', value: t.value.includes('.') ? doubleLiteral(t.value) : Number(t.value), pos: t.pos };
        this.next();
        break;
      case 'string':
      case 'interpStart':
        node = this.parseString();
        break;
      default:
        throw this.error(`Unexpected ${this.describe(t)}: expected a value, a variable or a function`);
    }
    return this.parsePostfix(node);
  }

  /** A double-quoted string with `#{...}` parts becomes a chain of `~`. */
  private parseString(): Expr {
    const parts: Expr[] = [];
    let previousWasString = false;
    for (;;) {
      const t = this.cur();
      if (t.type === 'string' && !previousWasString) {
        parts.push({ kind: 'literal', value: t.value, pos: t.pos });
        this.next();
        previousWasString = true;
      } else if (t.type === 'interpStart') {
        this.next();
        parts.push(this.parseExpression());
        if (this.cur().type !== 'interpEnd') throw this.error(`Expected "}" to close "#{" but found ${this.describe(this.cur())}`);
        this.next();
        previousWasString = false;
      } else break;
    }
    return parts.slice(1).reduce<Expr>(
      (left, right) => ({ kind: 'binary', operator: '~', left, right, pos: left.pos }),
      parts[0],
    );
  }

  private parsePostfix(node: Expr): Expr {
    for (;;) {
      if (this.is('punct', '.')) {
        this.next();
        const name = this.expectName('after "."');
        const attribute: Expr = { kind: 'literal', value: name.value, pos: name.pos };
        let call: Expr[] | undefined;
        if (this.is('punct', '(')) {
          const args = this.parseArguments();
          if (args.named.length > 0) throw this.error('Can not use named arguments when calling a method', name);
          call = args.positional;
        }
        node = { kind: 'attribute', object: node, attribute, call, pos: name.pos };
      } else if (this.is('punct', '[')) {
        const open = this.next();
        const attribute = this.parseExpression();
        this.expectPunct(']', 'to close "["');
        node = { kind: 'attribute', object: node, attribute, call: undefined, pos: open.pos };
      } else {
        return node;
      }
    }
  }

  private parseArguments(): Args {
    const args: Args = { positional: [], named: [] };
    this.expectPunct('(', 'to start the arguments');
    while (!this.is('punct', ')')) {
      if (args.positional.length + args.named.length > 0) this.expectPunct(',', 'between arguments');
      if (this.cur().type === 'name' && this.is('punct', '=', this.peek())) {
        const name = this.parseNewVariableName();
        this.next();
        args.named.push({ name, value: this.parseExpression() });
      } else {
        if (args.named.length > 0) throw this.error('Positional arguments must be declared before any named arguments');
        args.positional.push(this.parseExpression());
      }
    }
    this.next();
    return args;
  }

  private parseList(): Expr {
    const open = this.next();
    const items: Expr[] = [];
    while (!this.is('punct', ']')) {
      if (items.length > 0) this.expectPunct(',', 'between list items');
      items.push(this.parseExpression());
    }
    this.next();
    return { kind: 'list', items, pos: open.pos };
  }

  private parseMap(): Expr {
    const open = this.next();
    const entries: { key: Expr; value: Expr }[] = [];
    while (!this.is('punct', '}')) {
      if (entries.length > 0) this.expectPunct(',', 'between map entries');
      const key = this.parseExpression();
      this.expectPunct(':', 'between a map key and its value');
      entries.push({ key, value: this.parseExpression() });
    }
    this.next();
    return { kind: 'map', entries, pos: open.pos };
  }
}

function doubleLiteral(text: string): unknown {
  return makeDouble(Number(text));
}
