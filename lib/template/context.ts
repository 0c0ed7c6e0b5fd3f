/**
 * The evaluation context and the shape of filters, functions and tests. Extensions receive
 * a `CallSite` that knows where they were called, so their errors quote the tag.
 */
import type { Expr, TagSource, TemplateNode } from './ast';
import { TemplateError, locatedError, type SourcePosition } from './errors';
import type { TemplateHost } from './host';
import { hasOwn, newMap, typeName, type TemplateMap } from './values';

/** Re-renders a value with the given variables (used by `render()` and `renderOnce()`). */
export type RenderObject = (value: unknown, variables: TemplateMap, recursive: boolean, depth: number) => unknown;

/** Nested `render()` calls and expression evaluation both stop here instead of overflowing. */
export const MAX_DEPTH = 100;

/** A `{% macro %}` definition, found anywhere in the template before rendering starts. */
export interface MacroDefinition {
  readonly name: string;
  readonly params: readonly { readonly name: string; readonly defaultValue: Expr | undefined }[];
  readonly body: readonly TemplateNode[];
}

/**
 * One level of Pebble's `ScopeChain`. A local scope (a macro call) ends every lookup and
 * every `set`: a macro sees only its own arguments.
 */
interface Scope {
  readonly vars: Map<string, unknown>;
  readonly local: boolean;
}

export class EvalContext {
  /** Innermost last. The first is the template's own scope, above the render variables. */
  private readonly scopes: Scope[] = [{ vars: new Map(), local: false }];
  tag: TagSource;
  depth = 0;
  /** The template's macros by name (`{% macro %}`), callable like functions. */
  macros: ReadonlyMap<string, MacroDefinition> = new Map();
  /** How many macro calls enclose the current evaluation. */
  macroDepth = 0;

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
      if (scope.vars.has(name)) return { found: true, value: scope.vars.get(name) };
      if (scope.local) return { found: false };
    }
    if (hasOwn(this.root, name)) return { found: true, value: this.root[name] };
    return { found: false };
  }

  /**
   * `{% set %}` (Pebble `ScopeChain.set`): updates the innermost scope that already holds the
   * name, so a loop body can accumulate into a variable set before the loop; a new name goes
   * to the innermost scope and disappears with it. A render variable is shadowed in the
   * template's own scope.
   */
  set(name: string, value: unknown): void {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const scope = this.scopes[i];
      if (scope.local || scope.vars.has(name)) {
        scope.vars.set(name, value);
        return;
      }
    }
    if (hasOwn(this.root, name)) {
      this.scopes[0].vars.set(name, value);
      return;
    }
    this.scopes[this.scopes.length - 1].vars.set(name, value);
  }

  /** Defines a name in the innermost scope (`ScopeChain.put`): loop variables, macro arguments. */
  define(name: string, value: unknown): void {
    this.scopes[this.scopes.length - 1].vars.set(name, value);
  }

  pushScope(local = false): void {
    this.scopes.push({ vars: new Map(), local });
  }

  popScope(): void {
    this.scopes.pop();
  }

  /**
   * What `render()` passes on (Kestra's RenderFunction): every name of the scopes outside the
   * innermost macro call plus the render variables, each with the value a lookup here finds
   * (null for a name a macro cannot see).
   */
  allVariables(): TemplateMap {
    const names = new Set<string>();
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      if (this.scopes[i].local) names.clear();
      else for (const k of this.scopes[i].vars.keys()) names.add(k);
    }
    for (const k of Object.keys(this.root)) names.add(k);
    const all = newMap();
    for (const name of names) {
      const r = this.lookup(name);
      all[name] = r.found ? r.value : null;
    }
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
