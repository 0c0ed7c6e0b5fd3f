import { describe, expect, it } from 'vitest';
import { templateReferences, type TemplateReference } from './template-scan';

const texts = (refs: TemplateReference[]) => refs.map((r) => r.text);

describe('templateReferences', () => {
  it('finds each variable with its segments and offsets', () => {
    const text = "Loaded {{ outputs.extract.outputFiles['data.csv'] }} for {{ inputs.taxi }}";
    const refs = templateReferences(text);
    expect(texts(refs)).toEqual(["outputs.extract.outputFiles['data.csv']", 'inputs.taxi']);
    const [first] = refs;
    expect(first).toMatchObject({ kind: 'variable', root: 'outputs', guarded: false });
    expect(first.kind === 'variable' && first.segments).toEqual([
      { kind: 'name', name: 'extract' },
      { kind: 'name', name: 'outputFiles' },
      { kind: 'name', name: 'data.csv' },
    ]);
    expect(text.slice(first.start, first.end)).toBe(first.text);
  });

  it('reads references inside brackets, filters, tags and function arguments', () => {
    const text = "{{ outputs.extract.outputFiles[inputs.taxi ~ '.csv'] }}{% for r in outputs.q.rows %}{{ r.a | default(vars.x) }}{% endfor %}{{ render(vars.file) }}";
    const refs = templateReferences(text);
    expect(texts(refs)).toEqual(["outputs.extract.outputFiles[inputs.taxi ~ '.csv']", 'inputs.taxi', 'outputs.q.rows', 'vars.x', 'vars.file']);
    expect(refs[0].kind === 'variable' && refs[0].segments[2]).toEqual({ kind: 'dynamic' });
    expect(refs.at(-1)).toMatchObject({ rendered: true });
  });

  it('skips string literals, properties of other values, filters, tests, comments and raw blocks', () => {
    const text = `{{ "outputs.a.b" ~ x.inputs.y | trigger }}{# {{ inputs.c }} #}{% raw %}{{ inputs.d }}{% endraw %}{{ {inputs: 1} }}`;
    expect(templateReferences(text)).toEqual([]);
  });

  it('marks references that handle a missing value', () => {
    const refs = templateReferences("{{ trigger.date ?? now() }} {{ inputs.who | default('nobody') }} {% if inputs.x is not defined %}{% endif %} {{ inputs.y }}");
    expect(refs.map((r) => [r.text, r.guarded])).toEqual([
      ['trigger.date', true],
      ['inputs.who', true],
      ['inputs.x', true],
      ['inputs.y', false],
    ]);
  });

  it('reads secret() and kv() calls with their literal arguments', () => {
    const refs = templateReferences("{{ secret('PG_PASSWORD') }} {{ kv('BUCKET', 'other.ns') }} {{ kv(key, errorOnMissing=false) }}");
    expect(refs).toMatchObject([
      { kind: 'call', name: 'secret', args: ['PG_PASSWORD'], text: "secret('PG_PASSWORD')" },
      { kind: 'call', name: 'kv', args: ['BUCKET', 'other.ns'] },
      { kind: 'call', name: 'kv', args: [undefined], named: { errorOnMissing: false } },
    ]);
  });

  it('ends an expression at its closing braces, whitespace control included', () => {
    expect(texts(templateReferences('{{- inputs.a -}}{{inputs.b}} {{ "}}" }} {{ taskrun.value }}'))).toEqual(['inputs.a', 'inputs.b', 'taskrun.value']);
  });
});
