/** The parsed form of a template: tag nodes and expressions, each with its source position. */
import type { SourcePosition } from './errors';

export interface Args {
  positional: Expr[];
  named: { name: string; value: Expr }[];
}

export type BinaryOperator =
  | 'or' | 'and' | 'contains' | '==' | 'equals' | '!=' | '<' | '>' | '<=' | '>='
  | '+' | '-' | '*' | '/' | '%' | '~' | '..' | '??' | '???';

export type Expr =
  | { kind: 'literal'; value: unknown; pos: SourcePosition }
  | { kind: 'variable'; name: string; pos: SourcePosition }
  /** `a.b`, `a['b']`, `a[0]`, and `a.b(args)` (a method call, only on a few safe methods). */
  | { kind: 'attribute'; object: Expr; attribute: Expr; call: Expr[] | undefined; pos: SourcePosition }
  | { kind: 'call'; name: string; args: Args; pos: SourcePosition }
  | { kind: 'filter'; input: Expr; name: string; args: Args; pos: SourcePosition }
  | { kind: 'test'; input: Expr; name: string; args: Args; negated: boolean; pos: SourcePosition }
  | { kind: 'unary'; operator: 'not' | '-' | '+'; operand: Expr; pos: SourcePosition }
  | { kind: 'binary'; operator: BinaryOperator; left: Expr; right: Expr; pos: SourcePosition }
  | { kind: 'ternary'; condition: Expr; then: Expr; otherwise: Expr; pos: SourcePosition }
  | { kind: 'list'; items: Expr[]; pos: SourcePosition }
  | { kind: 'map'; entries: { key: Expr; value: Expr }[]; pos: SourcePosition };

/** Where a tag sits, so an error can quote it: `{{ x | date('yyyy') }}`. */
export interface TagSource {
  text: string;
  pos: SourcePosition;
}

export type TemplateNode =
  | { kind: 'text'; value: string }
  | { kind: 'print'; expr: Expr; tag: TagSource }
  | { kind: 'if'; branches: { condition: Expr; body: TemplateNode[]; tag: TagSource }[]; otherwise: TemplateNode[] | undefined }
  | { kind: 'for'; variable: string; iterable: Expr; body: TemplateNode[]; otherwise: TemplateNode[] | undefined; tag: TagSource }
  | { kind: 'set'; name: string; expr: Expr; tag: TagSource }
  | { kind: 'filterBlock'; filters: { name: string; args: Args; pos: SourcePosition }[]; body: TemplateNode[]; tag: TagSource }
  /** `{% macro name(a, b='x') %}...{% endmacro %}`: renders nothing where it stands. */
  | { kind: 'macro'; name: string; params: { name: string; defaultValue: Expr | undefined }[]; body: TemplateNode[]; tag: TagSource };
