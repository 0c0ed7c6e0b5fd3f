/**
 * Walks the parsed template. Strict variables: a missing variable or attribute throws
 * `MissingVariableError`, which only `??`, `???`, `default` and `is defined` recover from.
 */
import type { Args, Expr, TemplateNode } from './ast';
import { resolveAttribute, attributeName } from './attributes';
import {
  EvalContext, MAX_DEPTH, type ArgMap, type CallSite, type FilterDefinition, type FunctionDefinition, type MacroDefinition, type TestDefinition,
} from './context';
import { MissingVariableError, TemplateError, type SourcePosition } from './errors';
import { FILTERS } from './filters/index';
import { FUNCTIONS } from './functions/index';
import { writeOutput } from './json-writer';
import { OperatorError, arithmetic, compare, contains, toBoolean } from './operators';
import { range } from './range';
import { TESTS } from './tests';
import { MapEntry, hasOwn, isList, isMap, javaEquals, javaToString, newMap } from './values';

export function renderNodes(nodes: readonly TemplateNode[], ctx: EvalContext): string {
  let out = '';
  for (const node of nodes) out += renderNode(node, ctx);
  return out;
}

function renderNode(node: TemplateNode, ctx: EvalContext): string {
  switch (node.kind) {
    case 'text':
      return node.value;
    case 'print':
      ctx.tag = node.tag;
      return writeOutput(evaluate(node.expr, ctx));
    case 'set':
      ctx.tag = node.tag;
      ctx.set(node.name, evaluate(node.expr, ctx));
      return '';
    case 'macro':
      return '';
    case 'if':
      for (const branch of node.branches) {
        ctx.tag = branch.tag;
        const value = evaluate(branch.condition, ctx);
        if (value === null || value === undefined) {
          throw ctx.fail('null value given to if statement and strict variables is set to true', branch.condition.pos);
        }
        if (truthy(value, 'an "if" condition', branch.condition.pos, ctx)) return renderNodes(branch.body, ctx);
      }
      return node.otherwise ? renderNodes(node.otherwise, ctx) : '';
    case 'for':
      return renderFor(node, ctx);
    case 'filterBlock': {
      ctx.tag = node.tag;
      let value: unknown = renderNodes(node.body, ctx);
      for (const f of node.filters) {
        ctx.tag = node.tag;
        value = applyFilter(f.name, { kind: 'value', value }, f.args, f.pos, ctx);
      }
      return writeOutput(value);
    }
  }
}

function renderFor(node: Extract<TemplateNode, { kind: 'for' }>, ctx: EvalContext): string {
  ctx.tag = node.tag;
  const value = evaluate(node.iterable, ctx);
  if (value === null || value === undefined) return '';
  let items: unknown[];
  if (isList(value)) items = value;
  else if (isMap(value)) items = Object.keys(value).map((k) => new MapEntry(k, value[k]));
  else throw ctx.fail(`Not an iterable object. Value = [${javaToString(value)}]`, node.iterable.pos);
  if (items.length === 0) return node.otherwise ? renderNodes(node.otherwise, ctx) : '';

  let out = '';
  ctx.pushScope();
  try {
    items.forEach((item, index) => {
      ctx.define('loop', newMap([
        ['index', index],
        ['first', index === 0],
        ['last', index === items.length - 1],
        ['length', items.length],
        ['revindex', items.length - index - 1],
      ]));
      ctx.define(node.variable, item);
      out += renderNodes(node.body, ctx);
    });
  } finally {
    ctx.popScope();
  }
  return out;
}

function truthy(value: unknown, where: string, pos: SourcePosition, ctx: EvalContext): boolean {
  try {
    return toBoolean(value, where);
  } catch (e) {
    throw ctx.fail(e instanceof Error ? e.message : String(e), pos, e);
  }
}

export function evaluate(expr: Expr, ctx: EvalContext): unknown {
  if (++ctx.depth > MAX_DEPTH * 4) throw ctx.fail(`Expression evaluation nested deeper than ${MAX_DEPTH * 4} levels`, expr.pos);
  try {
    return evaluateInner(expr, ctx);
  } catch (e) {
    if (e instanceof TemplateError) throw e;
    if (e instanceof OperatorError) throw ctx.fail(e.message, expr.pos, e);
    if (e instanceof RangeError) throw ctx.fail(`Evaluation too deep: ${e.message}`, expr.pos, e);
    throw e;
  } finally {
    ctx.depth--;
  }
}

function missing(attribute: string, pos: SourcePosition, ctx: EvalContext): MissingVariableError {
  return new MissingVariableError(attribute, ctx.template, pos);
}

function evaluateInner(expr: Expr, ctx: EvalContext): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'variable': {
      const r = ctx.lookup(expr.name);
      if (!r.found) throw missing(expr.name, expr.pos, ctx);
      return r.value;
    }
    case 'attribute': {
      const object = evaluate(expr.object, ctx);
      const attribute = evaluate(expr.attribute, ctx);
      const call = expr.call?.map((a) => evaluate(a, ctx));
      if (object === null || object === undefined) {
        // Pebble names the root variable when it is the one that is null (`trigger.date`).
        throw missing(expr.object.kind === 'variable' ? expr.object.name : attributeName(attribute), expr.pos, ctx);
      }
      const r = resolveAttribute(object, attribute, call);
      if (!r.found) throw missing(attributeName(attribute), expr.pos, ctx);
      return r.value;
    }
    case 'call':
      return callFunction(expr.name, expr.args, expr.pos, ctx);
    case 'filter':
      return applyFilter(expr.name, { kind: 'expr', expr: expr.input }, expr.args, expr.pos, ctx);
    case 'test':
      return runTest(expr, ctx);
    case 'unary': {
      const value = evaluate(expr.operand, ctx);
      if (expr.operator === 'not') {
        if (value === null || value === undefined) throw ctx.fail('null value used in not operator and strict variables is set to true', expr.pos);
        return !truthy(value, 'the "not" operator', expr.pos, ctx);
      }
      return arithmetic('*', expr.operator === '-' ? -1 : 1, value);
    }
    case 'ternary': {
      const condition = evaluate(expr.condition, ctx);
      const yes = condition !== null && condition !== undefined && truthy(condition, 'a "? :" condition', expr.pos, ctx);
      return evaluate(yes ? expr.then : expr.otherwise, ctx);
    }
    case 'list':
      return expr.items.map((i) => evaluate(i, ctx));
    case 'map': {
      const map = newMap();
      for (const e of expr.entries) map[attributeName(evaluate(e.key, ctx))] = evaluate(e.value, ctx);
      return map;
    }
    case 'binary':
      return evaluateBinary(expr, ctx);
  }
}

function evaluateBinary(expr: Extract<Expr, { kind: 'binary' }>, ctx: EvalContext): unknown {
  switch (expr.operator) {
    case '??':
    case '???': {
      let left: unknown;
      try {
        left = evaluate(expr.left, ctx);
      } catch (e) {
        if (e instanceof MissingVariableError) return evaluate(expr.right, ctx);
        throw e;
      }
      return expr.operator === '??' && (left === null || left === undefined) ? evaluate(expr.right, ctx) : left;
    }
    case 'and':
    case 'or': {
      const left = logical(expr.left, expr.operator, ctx);
      if (expr.operator === 'and' ? !left : left) return left;
      return logical(expr.right, expr.operator, ctx);
    }
    default:
      break;
  }
  const left = evaluate(expr.left, ctx);
  const right = evaluate(expr.right, ctx);
  switch (expr.operator) {
    case '==':
    case 'equals':
      return javaEquals(left, right);
    case '!=':
      return !javaEquals(left, right);
    case '<':
    case '>':
    case '<=':
    case '>=':
      return compare(expr.operator, left, right);
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return arithmetic(expr.operator, left, right);
    case '~':
      return (left === null || left === undefined ? '' : javaToString(left)) + (right === null || right === undefined ? '' : javaToString(right));
    case 'contains':
      return contains(left, right);
    case '..':
      return range(left, right, 1, (m) => ctx.fail(m, expr.pos));
  }
}

function logical(operand: Expr, operator: 'and' | 'or', ctx: EvalContext): boolean {
  const value = evaluate(operand, ctx);
  if (value === null || value === undefined) {
    throw ctx.fail(`null value used in ${operator} operator and strict variables is set to true`, operand.pos);
  }
  return truthy(value, `the "${operator}" operator`, operand.pos, ctx);
}

function resolveArgs(args: Args, names: readonly string[] | null, what: string, pos: SourcePosition, ctx: EvalContext): ArgMap {
  const out = new Map<string, unknown>();
  args.positional.forEach((a, i) => {
    if (names === null) {
      out.set(String(i), evaluate(a, ctx));
      return;
    }
    if (i >= names.length) {
      throw ctx.fail(`${what} accepts at most ${names.length} argument(s) (${names.join(', ') || 'none'}), got ${args.positional.length}`, pos);
    }
    out.set(names[i], evaluate(a, ctx));
  });
  for (const n of args.named) {
    if (names !== null && !names.includes(n.name)) {
      throw ctx.fail(`${what} has no argument named '${n.name}' (it takes: ${names.join(', ') || 'none'})`, pos);
    }
    out.set(n.name, evaluate(n.value, ctx));
  }
  return out;
}

function lookupExtension<T>(registry: Record<string, T>, name: string): T | undefined {
  return hasOwn(registry, name) ? registry[name] : undefined;
}

/** A function first, then a macro of the template, as Pebble's FunctionOrMacroInvocationExpression. */
function callFunction(name: string, args: Args, pos: SourcePosition, ctx: EvalContext): unknown {
  const fn: FunctionDefinition | undefined = lookupExtension(FUNCTIONS, name);
  if (!fn) {
    const macro = ctx.macros.get(name);
    if (macro) return callMacro(macro, args, pos, ctx);
    throw ctx.fail(`Function or Macro [${name}] does not exist`, pos);
  }
  const site: CallSite = { ctx, pos, name };
  return guard(() => fn.call(resolveArgs(args, fn.args, `Function '${name}'`, pos, ctx), site), site);
}

/**
 * Pebble's MacroNode.call: arguments are evaluated where the call stands, then the body runs
 * behind a local scope holding every parameter (its default, or null), with the given
 * arguments in a scope above it. The body sees nothing else, and its output is the value.
 */
function callMacro(macro: MacroDefinition, args: Args, pos: SourcePosition, ctx: EvalContext): string {
  if (ctx.macroDepth >= MAX_DEPTH) throw ctx.fail(`Macro calls nested more than ${MAX_DEPTH} levels deep`, pos);
  const names = macro.params.map((p) => p.name);
  const given = new Map<string, unknown>();
  args.positional.forEach((a, i) => {
    if (i >= names.length) {
      throw ctx.fail(`The argument at position ${i + 1} is not allowed. Only ${names.length} argument(s) are allowed.`, pos);
    }
    given.set(names[i], evaluate(a, ctx));
  });
  for (const n of args.named) {
    if (!names.includes(n.name)) throw ctx.fail(`The following named argument does not exist: ${n.name}`, pos);
    given.set(n.name, evaluate(n.value, ctx));
  }
  const callerTag = ctx.tag;
  ctx.macroDepth++;
  ctx.pushScope(true);
  try {
    for (const p of macro.params) ctx.define(p.name, p.defaultValue ? evaluate(p.defaultValue, ctx) : null);
    ctx.pushScope();
    try {
      for (const [k, v] of given) ctx.define(k, v);
      return renderNodes(macro.body, ctx);
    } finally {
      ctx.popScope();
    }
  } finally {
    ctx.popScope();
    ctx.macroDepth--;
    ctx.tag = callerTag;
  }
}

/** Every `{% macro %}` of a template, wherever it is defined (Pebble registers them before rendering). */
export function collectMacros(nodes: readonly TemplateNode[], into = new Map<string, MacroDefinition>()): Map<string, MacroDefinition> {
  for (const node of nodes) {
    switch (node.kind) {
      case 'macro':
        if (into.has(node.name)) throw new TemplateError(`More than one macro can not share the same name: ${node.name}`);
        into.set(node.name, { name: node.name, params: node.params, body: node.body });
        collectMacros(node.body, into);
        break;
      case 'if':
        for (const b of node.branches) collectMacros(b.body, into);
        if (node.otherwise) collectMacros(node.otherwise, into);
        break;
      case 'for':
        collectMacros(node.body, into);
        if (node.otherwise) collectMacros(node.otherwise, into);
        break;
      case 'filterBlock':
        collectMacros(node.body, into);
        break;
      default:
        break;
    }
  }
  return into;
}

type FilterInput = { kind: 'expr'; expr: Expr } | { kind: 'value'; value: unknown };

function applyFilter(name: string, input: FilterInput, args: Args, pos: SourcePosition, ctx: EvalContext): unknown {
  const filter: FilterDefinition | undefined = lookupExtension(FILTERS, name);
  if (!filter) throw ctx.fail(`Filter [${name}] does not exist`, pos);
  const argMap = resolveArgs(args, filter.args, `Filter '${name}'`, pos, ctx);
  let value: unknown;
  if (input.kind === 'expr') {
    try {
      value = evaluate(input.expr, ctx);
    } catch (e) {
      // Only `default` may look at something undefined (Pebble's FilterExpression).
      if (name === 'default' && e instanceof MissingVariableError) value = null;
      else throw e;
    }
  } else {
    value = input.value;
  }
  const site: CallSite = { ctx, pos, name };
  return guard(() => filter.apply(value, argMap, site), site);
}

function runTest(expr: Extract<Expr, { kind: 'test' }>, ctx: EvalContext): boolean {
  const test: TestDefinition | undefined = lookupExtension(TESTS, expr.name);
  if (!test) throw ctx.fail(`Test [${expr.name}] does not exist`, expr.pos);
  const argMap = resolveArgs(expr.args, test.args, `Test '${expr.name}'`, expr.pos, ctx);
  let value: unknown;
  try {
    value = evaluate(expr.input, ctx);
  } catch (e) {
    if (expr.name === 'defined' && e instanceof MissingVariableError) value = null;
    else throw e;
  }
  const site: CallSite = { ctx, pos: expr.pos, name: expr.name };
  const result = guard(() => test.test(value, argMap, site), site);
  return expr.negated ? !result : result;
}

/** Extensions throw TemplateError for expected failures; anything else is wrapped with the place. */
function guard<T>(run: () => T, site: CallSite): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof TemplateError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    throw site.ctx.fail(`'${site.name}' failed: ${message}`, site.pos, e);
  }
}
