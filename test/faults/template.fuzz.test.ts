/**
 * Fuzz: the template engine renders arbitrary templates over arbitrary variables and either
 * answers or throws its own TemplateError (what a task run shows as a readable failure) —
 * never a TypeError, RangeError or stack overflow from inside the engine.
 * Templates are built from the engine's own vocabulary (delimiters, tags, operators, every
 * filter and function name, literals), so most cases get past the lexer into the evaluator.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultHost, renderTemplate, renderValue, TemplateError } from '../../lib/template';
import { FILTERS } from '../../lib/template/filters';
import { FUNCTIONS } from '../../lib/template/functions';
import { FUZZ_RUNS, FUZZ_SEED, FUZZ_TIMEOUT_MS, rethrowUnless } from './fuzz';

const host = defaultHost({ now: () => new Date('2024-03-10T01:30:00Z') });

const punctuation = ['{{', '}}', '{%', '%}', '{#', '#}', '{{-', '-}}', '(', ')', '[', ']', '{', '}', ',', ':', '.', '|', '?', '??', '???', '..', '=', ' ', '\n', "'", '"', '#{', '\\'];
const operators = ['+', '-', '*', '/', '%', '//', '**', '~', '==', '!=', '<', '>', '<=', '>=', 'and', 'or', 'not', 'in', 'is', 'is not', 'contains', 'equals'];
/** The binary operators Pebble knows, for well-formed expressions. */
const binary = ['+', '-', '*', '/', '%', '~', '==', '!=', '<', '>', '<=', '>=', 'and', 'or', 'in', 'contains', 'equals'];
const tags = ['if', 'elseif', 'else', 'endif', 'for', 'endfor', 'set', 'raw', 'endraw', 'macro', 'endmacro', 'filter', 'endfilter', 'block', 'endblock', 'verbatim', 'endverbatim', 'autoescape', 'endautoescape', 'with', 'endwith'];
const tests = ['defined', 'null', 'empty', 'even', 'odd', 'iterable', 'map', 'json'];
const names = ['inputs', 'outputs', 'vars', 'a', 'b', 'list', 'map', 'loop', 'taskrun', 'execution', 'flow', 'trigger', 'parent', 'x', 'true', 'false', 'null', 'none'];
const literals = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((d) => String(Math.abs(d)).replace(/e.*/, '')),
  fc.string({ maxLength: 8 }).map((s) => `'${s.replace(/['\\]/g, '')}'`),
  fc.constantFrom('0', '1', '-1', '1e308', '2147483648', '9007199254740993', '0.5', "'2024-01-01T00:00:00Z'", "'%s'", "'(a+)+$'", "'yyyy-MM-dd'", "'UTC'", "'Europe/Paris'"),
);
const token = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...punctuation) },
  { weight: 2, arbitrary: fc.constantFrom(...operators).map((o) => ` ${o} `) },
  { weight: 2, arbitrary: fc.constantFrom(...tags).map((t) => ` ${t} `) },
  { weight: 1, arbitrary: fc.constantFrom(...tests) },
  { weight: 3, arbitrary: fc.constantFrom(...Object.keys(FILTERS)) },
  { weight: 3, arbitrary: fc.constantFrom(...Object.keys(FUNCTIONS)).map((f) => `${f}(`) },
  { weight: 3, arbitrary: fc.constantFrom(...names) },
  { weight: 3, arbitrary: literals },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
/**
 * Well-formed expressions from a small grammar, so most cases reach the evaluator: every
 * filter and function with 0–2 arguments of any kind, operators, tests, ternaries, indexing.
 */
const { expr } = fc.letrec<{ expr: string }>((tie) => {
  const sub = tie('expr');
  const args = fc.array(sub, { maxLength: 2 }).map((a) => a.join(', '));
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      literals,
      fc.constantFrom(...names),
      fc.tuple(fc.constantFrom(...names), fc.constantFrom('a', 'b', 'value', 'length', 'first', '0', 'uri')).map(([n, k]) => `${n}.${k}`),
      fc.tuple(sub, fc.constantFrom(...binary), sub).map(([l, o, r]) => `(${l} ${o} ${r})`),
      fc.tuple(sub, fc.constantFrom(...Object.keys(FILTERS)), args).map(([v, f, a]) => `(${v} | ${f}${a ? `(${a})` : ''})`),
      fc.tuple(fc.constantFrom(...Object.keys(FUNCTIONS)), args).map(([f, a]) => `${f}(${a})`),
      fc.array(sub, { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
      fc.array(fc.tuple(literals, sub), { maxLength: 2 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
      sub.map((e) => `(${e})`),
      fc.tuple(sub, sub, sub).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
      fc.tuple(sub, sub).map(([v, i]) => `${v}[${i}]`),
      fc.tuple(sub, fc.constantFrom(...tests)).map(([v, t]) => `(${v} is ${t})`),
      fc.tuple(sub, sub).map(([a, b]) => `(${a} ?? ${b})`),
    ),
  };
});
const text = fc.string({ maxLength: 6 }).filter((t) => !t.includes('{'));
const { tmpl } = fc.letrec<{ tmpl: string }>((tie) => ({
  tmpl: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    expr.map((e) => `{{ ${e} }}`),
    fc.tuple(tie('tmpl'), tie('tmpl')).map(([a, b]) => a + b),
    fc.tuple(expr, tie('tmpl'), tie('tmpl')).map(([c, a, b]) => `{% if ${c} %}${a}{% else %}${b}{% endif %}`),
    fc.tuple(expr, tie('tmpl')).map(([e, body]) => `{% for x in ${e} %}${body}{{ x }}{{ loop.index }}{% endfor %}`),
    fc.tuple(expr, tie('tmpl')).map(([e, rest]) => `{% set a = ${e} %}${rest}`),
    fc.tuple(fc.constantFrom(...Object.keys(FILTERS)), tie('tmpl')).map(([f, body]) => `{% filter ${f} %}${body}{% endfilter %}`),
  ),
}));
/** Mostly well-formed templates, some token soup that must fail only with a parse error. */
const template = fc.oneof(
  { weight: 6, arbitrary: tmpl },
  { weight: 1, arbitrary: fc.array(token, { maxLength: 12 }).map((ts) => `{{ ${ts.join('')} }}`) },
  { weight: 1, arbitrary: fc.array(token, { maxLength: 30 }).map((ts) => ts.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

/** Variables as flows carry them: JSON-like values, plus dates, big numbers and odd keys. */
const leaf = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.date({ noInvalidDate: false }), fc.constantFrom(Number.NaN, Infinity, -0, 2 ** 53 + 2, '', '__proto__'));
const variables = fc.record({
  inputs: fc.dictionary(fc.constantFrom('a', 'b', 'x', 'name', '__proto__', 'constructor'), leaf),
  outputs: fc.dictionary(fc.string({ maxLength: 4 }), fc.dictionary(fc.constantFrom('value', 'uri', 'rows', 'vars'), leaf)),
  vars: fc.dictionary(fc.string({ maxLength: 4 }), leaf),
  a: leaf,
  b: leaf,
  list: fc.array(leaf, { maxLength: 5 }),
  map: fc.dictionary(fc.string({ maxLength: 4 }), leaf),
});

describe('template engine under fuzz', () => {
  it(`renders ${FUZZ_RUNS} generated templates over generated variables with no error but its own`, { timeout: FUZZ_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(template, variables, (t, vars) => {
        try {
          const out = renderTemplate(t, vars, host);
          expect(typeof out).toBe('string');
        } catch (err) {
          rethrowUnless(err, (e) => e instanceof TemplateError);
        }
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
  });

  it(`renders ${FUZZ_RUNS} generated values (maps and lists of templates) the same way`, { timeout: FUZZ_TIMEOUT_MS }, () => {
    const value = fc.dictionary(template, fc.oneof(template, fc.array(template, { maxLength: 3 })), { maxKeys: 3 });
    fc.assert(
      fc.property(value, variables, (v, vars) => {
        try {
          renderValue(v, vars, host);
        } catch (err) {
          rethrowUnless(err, (e) => e instanceof TemplateError);
        }
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
  });
});
