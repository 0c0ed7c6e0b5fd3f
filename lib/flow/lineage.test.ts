import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataTrace, dependencyGraph, outputReferences, tablesRead, tablesWritten, untakenBranchTasks } from './lineage';
import { parseFlow } from '../tasks/catalog';
import type { FlowSpec } from './types';

function load(text: string): FlowSpec {
  const parsed = parseFlow(text);
  if (!parsed.flow) throw new Error(JSON.stringify(parsed.issues));
  return parsed.flow;
}

const flow04 = load(readFileSync(new URL('./fixtures/04_postgres_taxi.yaml', import.meta.url), 'utf8'));
const byId = (id: string) => {
  const stack = [...flow04.tasks];
  while (stack.length) {
    const t = stack.shift()!;
    if (t.id === id) return t;
    if (Array.isArray(t.then)) stack.push(...t.then);
  }
  throw new Error(id);
};

describe('outputReferences', () => {
  it('finds outputs reached through render(vars.data) in flow 04', () => {
    expect(outputReferences(byId('yellow_copy_in_to_staging_table'), flow04.variables)).toEqual([
      { taskId: 'extract', path: "outputFiles[inputs.taxi ~ '_tripdata_' ~ inputs.year ~ '-' ~ inputs.month ~ '.csv']" },
    ]);
    // Without the flow's variables the reference is hidden in vars.
    expect(outputReferences(byId('yellow_copy_in_to_staging_table'))).toEqual([]);
    expect(outputReferences(byId('extract'), flow04.variables)).toEqual([]);
  });

  it('reads dotted, bracketed and spaced forms, and skips look-alikes', () => {
    const task = {
      id: 't',
      type: 'io.kestra.plugin.core.log.Log',
      message: [
        "{{ outputs.collect_stats.vars.downloads }} and {{ outputs['my-task'].value }}",
        '{% if outputs.query.outputs[0].uri is defined %}x{% endif %}',
        'outputs.plain_text_is_not_a_reference',
        '{{ taskrun.outputs.x }}',
      ],
    };
    expect(outputReferences(task)).toEqual([
      { taskId: 'collect_stats', path: 'vars.downloads' },
      { taskId: 'my-task', path: 'value' },
      { taskId: 'query', path: 'outputs[0].uri' },
    ]);
  });

  it('does not attribute child tasks’ references to the flowable', () => {
    const flow = load(`id: f
namespace: n
tasks:
  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: x
  - id: group
    type: io.kestra.plugin.core.flow.If
    condition: "{{ outputs.a.value == 'x' }}"
    then:
      - id: b
        type: io.kestra.plugin.core.log.Log
        message: "{{ outputs.a.value }}"
`);
    expect(outputReferences(flow.tasks[1])).toEqual([{ taskId: 'a', path: 'value' }]);
    const graph = dependencyGraph(flow);
    expect(graph.edges).toEqual([
      { from: 'a', to: 'group', kind: 'order' },
      { from: 'group', to: 'b', kind: 'order' },
      { from: 'a', to: 'group', kind: 'data' },
      { from: 'a', to: 'b', kind: 'data' },
    ]);
  });
});

describe('dataTrace on flow 04', () => {
  const trace = dataTrace(flow04);

  it('finds the source in the wget command, with the file variable and the input defaults inlined', () => {
    expect(trace.sources).toEqual([
      {
        taskId: 'extract',
        kind: 'shell',
        url: 'https://github.com/DataTalksClub/nyc-tlc-data/releases/download/yellow/yellow_tripdata_2019-01.csv.gz',
      },
    ]);
  });

  it('finds the PostgreSQL targets, their connection from pluginDefaults, and the tables', () => {
    const connection = 'jdbc:postgresql://pgdatabase:5432/ny_taxi';
    const yellow = trace.targets.filter((t) => t.taskId.startsWith('yellow_'));
    expect(yellow).toEqual([
      { taskId: 'yellow_create_table', technology: 'PostgreSQL', connection, tables: ['public.yellow_tripdata'], operation: 'CREATE TABLE' },
      { taskId: 'yellow_create_staging_table', technology: 'PostgreSQL', connection, tables: ['public.yellow_tripdata_staging'], operation: 'CREATE TABLE' },
      { taskId: 'yellow_truncate_staging_table', technology: 'PostgreSQL', connection, tables: ['public.yellow_tripdata_staging'], operation: 'TRUNCATE' },
      { taskId: 'yellow_copy_in_to_staging_table', technology: 'PostgreSQL', connection, tables: ['public.yellow_tripdata_staging'], operation: 'COPY' },
      { taskId: 'yellow_add_unique_id_and_filename', technology: 'PostgreSQL', connection, tables: ['public.yellow_tripdata_staging'], operation: 'UPDATE' },
      { taskId: 'yellow_merge_data', technology: 'PostgreSQL', connection, tables: ['public.yellow_tripdata'], operation: 'MERGE' },
    ]);
    expect(trace.targets).toHaveLength(12);
  });

  it('prefers a task url over a non-forced default, and a forced default over the task', () => {
    const flow = load(`id: f
namespace: n
tasks:
  - id: own
    type: io.kestra.plugin.jdbc.postgresql.Queries
    url: jdbc:postgresql://localhost:5433/other
    sql: INSERT INTO t VALUES (1)
  - id: duck
    type: io.kestra.plugin.jdbc.duckdb.Queries
    sql: "CREATE OR REPLACE TABLE products AS SELECT * FROM read_json_auto('{{workingDir}}/p.json')"
  - id: dl
    type: io.kestra.plugin.core.http.Download
    uri: https://dummyjson.com/products
pluginDefaults:
  - type: io.kestra.plugin.jdbc.postgresql
    values: { url: "jdbc:postgresql://pgdatabase:5432/ny_taxi" }
`);
    const trace = dataTrace(flow);
    expect(trace.targets).toEqual([
      { taskId: 'own', technology: 'PostgreSQL', connection: 'jdbc:postgresql://localhost:5433/other', tables: ['t'], operation: 'INSERT' },
      { taskId: 'duck', technology: 'DuckDB', tables: ['products'], operation: 'CREATE TABLE' },
    ]);
    expect(trace.sources).toEqual([{ taskId: 'dl', kind: 'http', url: 'https://dummyjson.com/products' }]);

    const forced = load(`id: f
namespace: n
tasks:
  - id: own
    type: io.kestra.plugin.jdbc.postgresql.Queries
    url: jdbc:postgresql://localhost:5433/other
    sql: DELETE FROM t
pluginDefaults:
  - type: io.kestra.plugin.jdbc.postgresql.Queries
    forced: true
    values: { url: "jdbc:postgresql://forced:5432/db" }
`);
    expect(dataTrace(forced).targets[0].connection).toBe('jdbc:postgresql://forced:5432/db');
  });
});

describe('tablesWritten', () => {
  it('reads writes in order and ignores commented-out SQL and COPY ... TO', () => {
    expect(tablesWritten(`-- INSERT INTO ignored VALUES (1);
CREATE TEMP TABLE IF NOT EXISTS staging (a int);
COPY staging (a) FROM STDIN;
/* MERGE INTO hidden */
INSERT INTO "public".final SELECT * FROM staging;
COPY (SELECT 1) TO STDOUT;`)).toEqual([
      { table: 'staging', operation: 'CREATE TABLE' },
      { table: 'staging', operation: 'COPY' },
      { table: '"public".final', operation: 'INSERT' },
    ]);
  });
});

describe('dependencyGraph on flow 04', () => {
  const graph = dependencyGraph(flow04);

  it('has every task, nested ones with their parent', () => {
    expect(graph.nodes).toHaveLength(17);
    expect(graph.nodes.find((n) => n.id === 'green_merge_data')).toEqual({ id: 'green_merge_data', type: 'io.kestra.plugin.jdbc.postgresql.Queries', parentId: 'if_green_taxi' });
  });

  it('orders the top level and each branch, and links the CSV from extract to both CopyIn tasks', () => {
    const order = graph.edges.filter((e) => e.kind === 'order').map((e) => `${e.from}>${e.to}`);
    expect(order.slice(0, 4)).toEqual(['set_label>extract', 'extract>if_yellow_taxi', 'if_yellow_taxi>yellow_create_table', 'yellow_create_table>yellow_create_staging_table']);
    expect(order).toContain('if_yellow_taxi>if_green_taxi');
    expect(order).toContain('if_green_taxi>purge_files');
    expect(graph.edges.filter((e) => e.kind === 'data')).toEqual([
      { from: 'extract', to: 'yellow_copy_in_to_staging_table', kind: 'data' },
      { from: 'extract', to: 'green_copy_in_to_staging_table', kind: 'data' },
    ]);
  });
});

describe('dataTrace on the sample notebook 04', () => {
  it('finds the source even when the URL starts with an input', () => {
    const sample = load(readFileSync(new URL('../../flows/04_postgres_taxi.yaml', import.meta.url), 'utf8'));
    expect(dataTrace(sample).sources).toEqual([
      { taskId: 'extract', kind: 'shell', url: 'https://github.com/DataTalksClub/nyc-tlc-data/releases/download/yellow/yellow_tripdata_2019-01.csv.gz' },
    ]);
  });
});

describe('tablesRead', () => {
  it('reads FROM, JOIN, comma lists, MERGE … USING, UPDATE and COPY … TO; not CTEs, table functions, strings or EXTRACT(… FROM …)', () => {
    expect(
      tablesRead(`WITH recent AS (SELECT EXTRACT(YEAR FROM ts) AS y FROM trips t, zones z WHERE t.note <> 'from nowhere')
SELECT * FROM recent JOIN vendors USING (id) WHERE a IS DISTINCT FROM b;
SELECT * FROM read_json_auto('products.json');
SELECT * FROM 'file.csv';
UPDATE staging SET x = 1;
MERGE INTO final AS T USING staging AS S ON T.id = S.id WHEN NOT MATCHED THEN INSERT VALUES (S.id);
COPY audit TO STDOUT;
DELETE FROM gone;`),
    ).toEqual(['trips', 'zones', 'vendors', 'staging', 'final', 'audit', 'gone']);
  });

  it('keeps template expressions in names, as the data trace does', () => {
    expect(tablesRead('MERGE INTO {{render(vars.table)}} AS T\nUSING {{render(vars.staging_table)}} AS S ON 1=1')).toEqual(['{{render(vars.table)}}', '{{render(vars.staging_table)}}']);
  });
});

describe('dataTrace with input values', () => {
  const sample = load(readFileSync(new URL('../../flows/04_postgres_taxi.yaml', import.meta.url), 'utf8'));
  const evaluate = (template: string, values: Readonly<Record<string, unknown>>) => {
    const m = /^\{\{\s*inputs\.(\w+)\s*==\s*'(\w+)'\s*\}\}$/.exec(template);
    return m ? String(values[m[1]] === m[2]) : undefined;
  };

  it('reads inputs at the given values, not the defaults', () => {
    const trace = dataTrace(sample, { inputValues: { taxi: 'green', month: '03' } });
    expect(trace.sources[0].url).toBe('https://github.com/DataTalksClub/nyc-tlc-data/releases/download/green/green_tripdata_2019-03.csv.gz');
    expect(trace.targets.find((t) => t.taskId === 'green_merge_data')?.tables).toEqual(['public.green_tripdata']);
  });

  it('reads each task with its own values when given per task', () => {
    const trace = dataTrace(sample, { inputValues: (taskId) => (taskId.startsWith('green_') ? { taxi: 'green' } : undefined) });
    expect(trace.targets.find((t) => t.taskId === 'green_merge_data')?.tables).toEqual(['public.green_tripdata']);
    expect(trace.targets.find((t) => t.taskId === 'yellow_merge_data')?.tables).toEqual(['public.yellow_tripdata']);
  });

  it('leaves out the tasks of a branch that does not run with those values', () => {
    const trace = dataTrace(sample, { inputValues: { taxi: 'green' }, evaluate });
    expect(trace.targets.every((t) => t.taskId.startsWith('green_'))).toBe(true);
    expect(untakenBranchTasks(sample, { inputValues: { taxi: 'green' }, evaluate })).toEqual(
      new Set(['yellow_create_table', 'yellow_create_staging_table', 'yellow_truncate_staging_table', 'yellow_copy_in_to_staging_table', 'yellow_add_unique_id_and_filename', 'yellow_merge_data']),
    );
    // A condition that cannot be read before the run counts as taken.
    expect(untakenBranchTasks(sample, { inputValues: { taxi: 'green' }, evaluate: () => undefined })).toEqual(new Set());
  });
});
