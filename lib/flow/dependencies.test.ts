import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFlow } from '../tasks/catalog';
import { notebookDependencies, upstreamOf, type DependencyGraph } from './dependencies';
import type { FlowSpec } from './types';

function load(text: string): FlowSpec {
  const parsed = parseFlow(text);
  if (!parsed.flow) throw new Error(JSON.stringify(parsed.issues));
  return parsed.flow;
}
const course = (name: string) => load(readFileSync(new URL(`../../flows/${name}.yaml`, import.meta.url), 'utf8'));
const edges = (g: DependencyGraph) => g.edges.map((e) => `${e.from}>${e.to}:${e.via.kind}${e.via.kind === 'resource' ? `(${e.via.name},${e.via.reads ? 'reads' : 'writes'})` : ''}`);
const cell = (g: DependencyGraph, id: string) => g.cells.find((c) => c.taskId === id);
/** A stand-in for the template engine: `{{ inputs.x == 'v' }}` only. */
const evaluate = (template: string, values: Readonly<Record<string, unknown>>) => {
  const m = /^\{\{\s*inputs\.(\w+)\s*==\s*'(\w+)'\s*\}\}$/.exec(template);
  return m ? String(values[m[1]] === m[2]) : undefined;
};

describe('notebookDependencies on the course flows', () => {
  it('01: log_output depends on generate_output only; inputs read through render(vars) and pluginDefaults are listed', () => {
    const g = notebookDependencies(course('01_hello_world'));
    expect(edges(g)).toEqual(['generate_output>log_output:outputs']);
    expect(cell(g, 'hello_message')).toMatchObject({ inputs: ['name'], variables: ['welcome_message'], pluginDefaults: ['io.kestra.plugin.core.log.Log'] });
    expect(cell(g, 'goodbye_message')).toMatchObject({ inputs: ['name'], variables: [], pluginDefaults: ['io.kestra.plugin.core.log.Log'] });
    expect(cell(g, 'generate_output')).toMatchObject({ inputs: [], variables: [], pluginDefaults: [], reads: [], writes: [] });
    expect(g.cells.some((c) => c.opaque)).toBe(false);
  });

  it('02: the Python script is opaque, with nothing before it', () => {
    const g = notebookDependencies(course('02_python'));
    expect(edges(g)).toEqual(['collect_stats>log_downloads:outputs']);
    expect(cell(g, 'collect_stats')).toMatchObject({ opaque: 'it runs a script', inputs: ['image_name', 'registry_api'] });
  });

  it('03: outputs chain extract → transform → query; the in-memory DuckDB shares no tables', () => {
    const g = notebookDependencies(course('03_getting_started_data_pipeline'));
    expect(edges(g)).toEqual(['extract>transform:outputs', 'transform>query:outputs']);
    expect(cell(g, 'query')).toMatchObject({ reads: [], writes: [] });
    expect(upstreamOf(g, 'query')).toEqual([{ from: 'transform', to: 'query', via: { kind: 'outputs' } }]);
  });

  it('04 with taxi=green: the green cells are linked by the tables they write and read', () => {
    const g = notebookDependencies(course('04_postgres_taxi'), { inputValues: { taxi: 'green' }, evaluate });
    expect(cell(g, 'green_copy_in_to_staging_table')?.writes).toEqual([
      { key: 'PostgreSQL|jdbc:postgresql://pgdatabase:5432/ny_taxi|public.green_tripdata_staging', name: 'public.green_tripdata_staging' },
    ]);
    expect(cell(g, 'green_merge_data')?.reads.map((r) => r.name)).toEqual(['public.green_tripdata', 'public.green_tripdata_staging']);
    // The yellow branch does not run for green: its cells touch no table.
    expect(cell(g, 'yellow_merge_data')).toMatchObject({ reads: [], writes: [] });
    expect(upstreamOf(g, 'green_add_unique_id_and_filename').map((e) => `${e.from}:${e.via.kind}`)).toEqual([
      'extract:order-upstream',
      'green_create_staging_table:resource',
      'green_truncate_staging_table:resource',
      'green_copy_in_to_staging_table:resource',
    ]);
    expect(upstreamOf(g, 'green_copy_in_to_staging_table')).toContainEqual({ from: 'extract', to: 'green_copy_in_to_staging_table', via: { kind: 'outputs' } });
    expect(upstreamOf(g, 'green_create_table')).toEqual([]);
    expect(upstreamOf(g, 'purge_files')).toEqual([]);
  });

  it('04: the trace of a cell is read with its own values', () => {
    const g = notebookDependencies(course('04_postgres_taxi'), { inputValues: (id) => (id.startsWith('yellow_') ? { taxi: 'yellow' } : { taxi: 'green' }) });
    expect(cell(g, 'yellow_merge_data')?.writes.map((w) => w.name)).toEqual(['public.yellow_tripdata']);
    expect(cell(g, 'green_merge_data')?.writes.map((w) => w.name)).toEqual(['public.green_tripdata']);
    expect(edges(g).filter((e) => e.startsWith('yellow_') && e.includes('>green_'))).toEqual([]);
  });

  it('05: the scheduled flow reads the same tables; set_label reads the file variable', () => {
    const g = notebookDependencies(course('05_postgres_taxi_scheduled'), { evaluate });
    expect(cell(g, 'set_label')).toMatchObject({ inputs: ['taxi'], variables: ['file'] });
    expect(cell(g, 'green_merge_data')?.writes.map((w) => w.name)).toEqual(['public.green_tripdata']);
    expect(cell(g, 'yellow_merge_data')).toMatchObject({ reads: [], writes: [] });
  });
});

describe('notebookDependencies: hand-written cases', () => {
  it('a forward reference is an edge against the order', () => {
    const g = notebookDependencies(
      load(`id: f
namespace: t
tasks:
  - id: report
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.answer.value }}"
  - id: answer
    type: io.kestra.plugin.core.debug.Return
    format: "42"
`),
    );
    expect(edges(g)).toEqual(['answer>report:outputs']);
  });

  it('a table named only when the task runs makes the cell opaque; one named by an input without a value is matched as written', () => {
    const g = notebookDependencies(
      load(`id: f
namespace: t
inputs:
  - id: table
    type: STRING
tasks:
  - id: make
    type: io.kestra.plugin.core.debug.Return
    format: t
  - id: dynamic
    type: io.kestra.plugin.jdbc.postgresql.Queries
    url: jdbc:postgresql://db/x
    sql: "INSERT INTO {{ outputs.make.value }} VALUES (1)"
  - id: by_input
    type: io.kestra.plugin.jdbc.postgresql.Queries
    url: jdbc:postgresql://db/x
    sql: "INSERT INTO {{ inputs.table }} VALUES (1)"
  - id: reader
    type: io.kestra.plugin.jdbc.postgresql.Query
    url: jdbc:postgresql://db/x
    sql: "SELECT * FROM {{ inputs.table }}"
`),
    );
    expect(cell(g, 'dynamic')?.opaque).toBe('it names {{ outputs.make.value }} only when it runs');
    expect(cell(g, 'by_input')?.opaque).toBeUndefined();
    expect(upstreamOf(g, 'reader').map((e) => `${e.from}:${e.via.kind}`)).toEqual(['dynamic:order-upstream', 'by_input:resource']);
  });

  it('the same table through two connections is two tables; an unqualified PostgreSQL name is in public', () => {
    const g = notebookDependencies(
      load(`id: f
namespace: t
tasks:
  - id: w
    type: io.kestra.plugin.jdbc.postgresql.Queries
    url: jdbc:postgresql://db/a
    sql: CREATE TABLE sales (n int)
  - id: other_db
    type: io.kestra.plugin.jdbc.postgresql.Query
    url: jdbc:postgresql://db/b
    sql: SELECT * FROM sales
  - id: same_db
    type: io.kestra.plugin.jdbc.postgresql.Query
    url: jdbc:postgresql://db/a
    sql: SELECT * FROM public.SALES
`),
    );
    expect(edges(g)).toEqual(['w>same_db:resource(sales,reads)']);
  });

  it('an opaque cell depends on earlier writers (not on pure cells), and later readers depend on it', () => {
    const g = notebookDependencies(
      load(`id: f
namespace: t
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: hi
  - id: load
    type: io.kestra.plugin.jdbc.duckdb.Queries
    url: jdbc:duckdb:/tmp/shop.duckdb
    sql: CREATE TABLE t AS SELECT 1
  - id: script
    type: io.kestra.plugin.scripts.python.Script
    script: print(1)
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: bye
  - id: read
    type: io.kestra.plugin.jdbc.duckdb.Query
    url: jdbc:duckdb:/tmp/shop.duckdb
    sql: SELECT * FROM t
`),
    );
    expect(edges(g)).toEqual(['load>script:order-self', 'load>read:resource(t,reads)', 'script>read:order-upstream']);
  });

  it('a plugin type Flowbook does not know is opaque; an HTTP GET is not', () => {
    const g = notebookDependencies(
      load(`id: f
namespace: t
tasks:
  - id: get
    type: io.kestra.plugin.core.http.Request
    uri: https://example.com
  - id: post
    type: io.kestra.plugin.core.http.Request
    uri: https://example.com
    method: POST
  - id: slack
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: https://hooks.slack.com/x
`),
    );
    expect(g.cells.map((c) => c.opaque)).toEqual([undefined, 'it sends an HTTP POST request', 'Flowbook cannot tell what io.kestra.plugin.notifications.slack.SlackIncomingWebhook reads or writes']);
  });

  it('a parent and its children are never linked', () => {
    const g = notebookDependencies(
      load(`id: f
namespace: t
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.LoopUntil
    condition: "{{ outputs.check.value == 'done' }}"
    tasks:
      - id: check
        type: io.kestra.plugin.core.debug.Return
        format: done
`),
    );
    expect(g.edges).toEqual([]);
  });
});
