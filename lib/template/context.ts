/**
 * The evaluation context and the shape of filters, functions and tests. Extensions receive
 * a `CallSite` that knows where they were called, so their errors quote the tag.
 */
import type { TagSource } from './ast';
import { TemplateError, locatedError, type SourcePosition } from './errors';
import type { TemplateHost } from './host';
import { hasOwn, newMap, typeName, type TemplateMap } from './values';

/** Re-renders a value with the given variables (used by `render()` and `renderOnce()`). */
export type RenderObject = (value: unknown, variables: TemplateMap, recursive: boolean, depth: number) => unknown;

/** Nested `render()` calls and expression evaluation both stop here instead of overflowing. */
export const MAX_DEPTH = 100;

export class EvalContext {
  /** Innermost last; `{% for %}` pushes one, `{% set %}` writes to the innermost. */
  private readonly scopes: Map<string, unknown>[] = [new Map()];
  tag: TagSource;
  depth = 0;

  constructor(
    readonly root: Readonly<Record<string, unknown>>,
    readonly host: TemplateHost,
    readonly template: string,
    readonly renderObject: RenderObject,
    /** How many `render()` calls enclose this evaluation. */
    readonly renderDepth: number,
  ) {
    this.tag = { text: template, pos: { line: 1, column: 1 } };
  }

  lookup(name: string): { found: true; value: unknown } | { found: false } {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const scope = this.scopes[i];
      if (scope.has(name)) return { found: true, value: scope.get(name) };
    }
    if (hasOwn(this.root, name)) return { found: true, value: this.root[name] };
    return { found: false };
  }

  set(name: string, value: unknown): void {
    this.scopes[this.scopes.length - 1].set(name, value);
  }

  pushScope(): void {
    this.scopes.push(new Map());
  }

  popScope(): void {
    this.scopes.pop();
  }

  /** Every variable visible here: the render variables, then `set` and loop variables. */
  allVariables(): TemplateMap {
    const all = newMap(Object.keys(this.root).map((k) => [k, this.root[k]] as const));
    for (const scope of this.scopes) for (const [k, v] of scope) all[k] = v;
    return all;
  }

  fail(message: string, pos: SourcePosition, cause?: unknown): TemplateError {
    return locatedError(message, { tagText: this.tag.text, template: this.template, position: pos }, cause);
  }
}

export interface CallSite {
  readonly ctx: EvalContext;
  readonly pos: SourcePosition;
  /** The filter, function or test name, for messages. */
  readonly name: string;
}

export function failAt(site: CallSite, message: string, cause?: unknown): TemplateError {
  return site.ctx.fail(message, site.pos, cause);
}

/** Arguments by name; `has` matters because Kestra tells "absent" from "null". */
export type ArgMap = ReadonlyMap<string, unknown>;

export interface FilterDefinition {
  /** Names for positional arguments, in order; null accepts positional arguments as "0", "1"... */
  readonly args: readonly string[] | null;
  apply(input: unknown, args: ArgMap, site: CallSite): unknown;
}

export interface FunctionDefinition {
  readonly args: readonly string[] | null;
  call(args: ArgMap, site: CallSite): unknown;
}

export interface TestDefinition {
  readonly args: readonly string[] | null;
  test(input: unknown, args: ArgMap, site: CallSite): boolean;
}

/* Small argument readers shared by extensions. */

export function argString(args: ArgMap, name: string, site: CallSite): string | undefined {
  const v = args.get(name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw failAt(site, `'${site.name}' expects the argument '${name}' to be a string, got ${typeName(v)}`);
  return v;
}

export function requireString(input: unknown, site: CallSite): string {
  if (typeof input !== 'string') throw failAt(site, `'${site.name}' can only be applied to a string, got ${typeName(input)}`);
  return input;
}
