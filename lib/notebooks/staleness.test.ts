import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { walkTasks, type FlowSpec, type ParsedFlow } from '../flow';
import { untakenBranchTasks } from '../flow/lineage';
import { parseFlow } from '../tasks/catalog';
import { staleBadgeText } from '../client/stale';
import { analyse, branchEvaluator, type RunRecord } from './analysis';
import type { LatestRun } from './cells';
import { contextHash, sourceHash } from './hashes';
import { computeStaleness, type CellFacts } from './staleness';
import { notebookDependencies } from '../flow/dependencies';

const course = (name: string) => readFileSync(new URL(`../../flows/${name}.yaml`, import.meta.url), 'utf8');

/**
 * A notebook and its runs, without a database: each run records what an execution records
 * (the YAML, the input values, every cell's fingerprint), its task runs one second apart.
 * The inputs of the latest run are the notebook's current values, as on the page.
 */
class Notebook {
  private clock = Date.parse('2024-03-01T10:00:00Z');
  private executions = 0;
  readonly latest = new Map<string, LatestRun>();
  readonly records = new Map<string, RunRecord>();
  current: Record<string, unknown> = {};

  constructor(public yaml: string) {
    this.current = Object.fromEntries(this.flow.inputs.filter((i) => i.defaults !== undefined).map((i) => [i.id, i.defaults]));
  }

  get parsed(): ParsedFlow {
    const parsed = parseFlow(this.yaml);
    if (!parsed.flow) throw new Error(JSON.stringify(parsed.issues));
    return parsed;
  }

  get flow(): FlowSpec {
    return this.parsed.flow as FlowSpec;
  }

  /** Runs the whole flow, or the given cells (each with its nested cells, as "run cell" does). */
  run(which: 'all' | string[], inputs: Record<string, unknown> = {}, state: LatestRun['taskRun']['state'] = 'SUCCESS'): this {
    const flow = this.flow;
    const executionId = `e${++this.executions}`;
    const values = { ...this.current, ...inputs };
    this.current = values;
    const located = walkTasks(flow);
    this.records.set(executionId, {
      inputs: values,
      cellHashes: Object.fromEntries(located.map(({ task }) => [task.id, { source: sourceHash(task), context: contextHash(flow, task) }])),
      flow,
    });
    const untaken = untakenBranchTasks(flow, { inputValues: values, evaluate: branchEvaluator(flow) });
    const children = (id: string) => located.filter((l) => l.parentId === id && !untaken.has(l.task.id)).map((l) => l.task.id);
    const tick = () => new Date((this.clock += 1000)).toISOString();
    const runTask = (taskId: string): void => {
      const task = located.find((l) => l.task.id === taskId)?.task;
      if (!task) throw new Error(`no cell ${taskId}`);
      const startDate = tick();
      children(taskId).forEach(runTask);
      const taskRun = { id: `${executionId}-${taskId}`, executionId, taskId, state, attempt: 1, startDate, endDate: tick() };
      this.latest.set(taskId, { taskRun, sourceHash: sourceHash(task), contextHash: contextHash(flow, task) });
    };
    const roots = which === 'all' ? located.filter((l) => l.parentId === undefined).map((l) => l.task.id) : which;
    roots.forEach(runTask);
    return this;
  }

  edit(from: string, to: string): this {
    if (!this.yaml.includes(from)) throw new Error(`"${from}" is not in the YAML`);
    this.yaml = this.yaml.replace(from, to);
    return this;
  }

  private analysis() {
    return analyse(this.parsed, this.flow, { latest: this.latest, records: this.records, current: this.current });
  }

  /** What each cell's stale badge says; `fresh` when it shows none. */
  badges(): Record<string, string> {
    return Object.fromEntries(this.analysis().cells.map((c) => [c.taskId, c.stale ? staleBadgeText(c.staleReason) : 'fresh']));
  }

  /** Only the stale cells and their badges. */
  stale(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.badges()).filter(([, b]) => b !== 'fresh'));
  }

  trace() {
    return this.analysis().dataTrace;
  }
}

describe('01_hello_world: staleness follows outputs, not order', () => {
  it('after run all nothing is stale', () => {
    expect(new Notebook(course('01_hello_world')).run('all').stale()).toEqual({});
  });

  it('editing generate_output marks it and log_output (which uses it), not goodbye_message; the badge says so as soon as the edit is saved', () => {
    const nb = new Notebook(course('01_hello_world')).run('all').edit('format: I was generated during this workflow.', 'format: I was edited.');
    expect(nb.stale()).toEqual({
      generate_output: 'stale: this cell changed since it ran',
      log_output: 'stale: generate_output changed since this cell ran',
    });
  });

  it('running generate_output again leaves log_output stale because it ran again; running log_output clears it', () => {
    const nb = new Notebook(course('01_hello_world')).run('all').edit('format: I was generated during this workflow.', 'format: I was edited.');
    nb.run(['generate_output']);
    expect(nb.stale()).toEqual({ log_output: 'stale: generate_output ran again' });
    nb.run(['log_output']);
    expect(nb.stale()).toEqual({});
  });

  it('running log_output alone marks nothing else stale (goodbye_message does not depend on it)', () => {
    expect(new Notebook(course('01_hello_world')).run('all').run(['log_output']).stale()).toEqual({});
  });

  it('an input changed for one run marks the other cells that read it', () => {
    const nb = new Notebook(course('01_hello_world')).run('all').run(['hello_message'], { name: 'Ana' });
    expect(nb.stale()).toEqual({ goodbye_message: 'stale: input name changed' });
  });

  it('an input changed in the notebook (not run yet) marks every cell that reads it, also through render(vars.welcome_message)', () => {
    const nb = new Notebook(course('01_hello_world')).run('all');
    nb.current = { name: 'Ana' };
    expect(nb.stale()).toEqual({ hello_message: 'stale: input name changed', goodbye_message: 'stale: input name changed' });
  });

  it('a changed input default counts as a change of that input', () => {
    const nb = new Notebook(course('01_hello_world')).run('all').edit('defaults: Will', 'defaults: Will\n    description: who to greet');
    expect(nb.stale()).toEqual({ hello_message: 'stale: input name changed', goodbye_message: 'stale: input name changed' });
  });

  it('a variable changed marks the cell that renders it', () => {
    const nb = new Notebook(course('01_hello_world')).run('all').edit('welcome_message: "Hello, {{ inputs.name }}!"', 'welcome_message: "Hi, {{ inputs.name }}!"');
    expect(nb.stale()).toEqual({ hello_message: 'stale: variable welcome_message changed' });
  });

  it('pluginDefaults changed mark the cells they apply to', () => {
    const nb = new Notebook(course('01_hello_world')).run('all').edit('level: ERROR', 'level: INFO');
    const reason = 'stale: plugin defaults for io.kestra.plugin.core.log.Log changed';
    expect(nb.stale()).toEqual({ hello_message: reason, log_output: reason, goodbye_message: reason });
  });
});

describe('02_python', () => {
  it('an edited script marks the Log that reads its outputs', () => {
    const nb = new Notebook(course('02_python')).run('all').edit("'downloads': downloads", "'downloads': downloads, 'image': os.environ['IMAGE_NAME']");
    expect(nb.stale()).toEqual({ collect_stats: 'stale: this cell changed since it ran', log_downloads: 'stale: collect_stats changed since this cell ran' });
  });

  it('an input only the script reads: the script is stale, and so is the cell built on its result', () => {
    const nb = new Notebook(course('02_python')).run('all');
    nb.current = { ...nb.current, registry_api: 'https://registry.example/v2/repositories' };
    expect(nb.stale()).toEqual({
      collect_stats: 'stale: input registry_api changed',
      log_downloads: 'stale: input registry_api changed (collect_stats reads it)',
    });
    nb.run(['collect_stats']);
    expect(nb.stale()).toEqual({ log_downloads: 'stale: collect_stats ran again' });
  });
});

describe('03_getting_started_data_pipeline', () => {
  it('an edit upstream reaches the query through transform', () => {
    const nb = new Notebook(course('03_getting_started_data_pipeline')).run('all').edit('uri: "{{ inputs.products_url }}"', 'uri: "{{ inputs.products_url }}?limit=10"');
    expect(nb.stale()).toEqual({
      extract: 'stale: this cell changed since it ran',
      transform: 'stale: extract changed since this cell ran',
      query: 'stale: extract changed since this cell ran (through transform)',
    });
  });

  it('a re-run of extract reaches the query through transform', () => {
    expect(new Notebook(course('03_getting_started_data_pipeline')).run('all').run(['extract']).stale()).toEqual({
      transform: 'stale: extract ran again',
      query: 'stale: extract ran again (through transform)',
    });
  });

  it('a stale cell makes the cells built on its result stale, naming the root', () => {
    const nb = new Notebook(course('03_getting_started_data_pipeline')).run('all');
    nb.current = { ...nb.current, columns_to_keep: ['brand', 'price', 'title'] };
    expect(nb.stale()).toEqual({
      transform: 'stale: input columns_to_keep changed',
      query: 'stale: input columns_to_keep changed (transform reads it)',
    });
  });
});

describe('04_postgres_taxi: tables link cells', () => {
  it('with taxi=green the data trace names the green tables, and only the cells that run for green', () => {
    const nb = new Notebook(course('04_postgres_taxi'));
    nb.current = { ...nb.current, taxi: 'green' };
    const targets = nb.trace().targets;
    expect(targets.map((t) => t.taskId)).toEqual([
      'green_create_table',
      'green_create_staging_table',
      'green_truncate_staging_table',
      'green_copy_in_to_staging_table',
      'green_add_unique_id_and_filename',
      'green_merge_data',
    ]);
    expect(targets.find((t) => t.taskId === 'green_merge_data')?.tables).toEqual(['public.green_tripdata']);
    expect(nb.trace().sources[0].url).toBe('https://github.com/DataTalksClub/nyc-tlc-data/releases/download/green/green_tripdata_2019-01.csv.gz');
  });

  it('a cell that ran is traced with the values of its run', () => {
    const nb = new Notebook(course('04_postgres_taxi')).run('all', { taxi: 'green' });
    nb.current = { ...nb.current, taxi: 'yellow' };
    const tables = Object.fromEntries(nb.trace().targets.map((t) => [t.taskId, t.tables.join(',')]));
    expect(tables.green_merge_data).toBe('public.green_tripdata');
    expect(tables.yellow_merge_data).toBe('public.yellow_tripdata');
  });

  it('re-running the green COPY marks the cells that read the staging table, naming the table', () => {
    const nb = new Notebook(course('04_postgres_taxi')).run('all', { taxi: 'green' }).run(['green_copy_in_to_staging_table']);
    const reason = 'stale: green_copy_in_to_staging_table ran again (writes public.green_tripdata_staging, which this cell reads)';
    expect(nb.stale()).toEqual({ green_add_unique_id_and_filename: reason, green_merge_data: reason });
  });

  it('re-running the truncate marks the COPY after it, whose rows it removed', () => {
    const nb = new Notebook(course('04_postgres_taxi')).run('all', { taxi: 'green' }).run(['green_truncate_staging_table']);
    expect(nb.stale()).toMatchObject({
      green_copy_in_to_staging_table: 'stale: green_truncate_staging_table ran again (writes public.green_tripdata_staging, which this cell writes too)',
      green_add_unique_id_and_filename: 'stale: green_truncate_staging_table ran again (writes public.green_tripdata_staging, which this cell reads)',
    });
  });

  it('re-running extract (a script: its effects cannot be analysed) marks the cells that read tables after it, and the COPY that reads its file', () => {
    const nb = new Notebook(course('04_postgres_taxi')).run('all', { taxi: 'green' }).run(['extract']);
    expect(nb.stale()).toEqual({
      green_copy_in_to_staging_table: 'stale: extract ran again',
      green_add_unique_id_and_filename: 'stale: extract ran again (its effects cannot be analysed)',
      green_merge_data: 'stale: extract ran again (its effects cannot be analysed)',
    });
  });

  it('switching taxi marks every cell that read it', () => {
    const nb = new Notebook(course('04_postgres_taxi')).run('all', { taxi: 'green' });
    nb.current = { ...nb.current, taxi: 'yellow' };
    const stale = nb.stale();
    expect(stale.set_label).toBe('stale: input taxi changed');
    expect(stale.green_merge_data).toBe('stale: input taxi changed');
    expect(stale.purge_files).toBeUndefined();
  });

  it('a cell in another run with other values shares no table with these', () => {
    const nb = new Notebook(course('04_postgres_taxi')).run('all', { taxi: 'green' }).run('all', { taxi: 'yellow' });
    nb.current = { ...nb.current, taxi: 'green' };
    nb.run(['green_copy_in_to_staging_table']);
    const stale = nb.stale();
    // The yellow cells ran with taxi=yellow: stale for the input, never for the green staging table.
    expect(stale.yellow_merge_data).toBe('stale: input taxi changed');
    expect(stale.green_merge_data).toBe('stale: green_copy_in_to_staging_table ran again (writes public.green_tripdata_staging, which this cell reads)');
  });
});

describe('05_postgres_taxi_scheduled', () => {
  it('a variable used through render() marks the cells that render it', () => {
    const nb = new Notebook(course('05_postgres_taxi_scheduled')).run('all');
    nb.edit('staging_table: "public.{{inputs.taxi}}_tripdata_staging"', 'staging_table: "staging.{{inputs.taxi}}_tripdata"');
    const stale = nb.stale();
    expect(Object.keys(stale).sort()).toEqual([
      'green_add_unique_id_and_filename',
      'green_copy_in_to_staging_table',
      'green_create_staging_table',
      'green_merge_data',
      'green_truncate_staging_table',
    ]);
    expect(stale.green_merge_data).toBe('stale: variable staging_table changed');
  });
});

describe('hand-written cases', () => {
  it('a forward reference: a cell that uses the outputs of a later cell goes stale when that cell runs again or changes', () => {
    const yaml = `id: forward
namespace: t
tasks:
  - id: report
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.answer.value }}"
  - id: answer
    type: io.kestra.plugin.core.debug.Return
    format: "42"
`;
    const nb = new Notebook(yaml).run(['answer']).run(['report']);
    expect(nb.stale()).toEqual({});
    nb.run(['answer']);
    expect(nb.stale()).toEqual({ report: 'stale: answer ran again' });
    nb.run(['report']).edit('format: "42"', 'format: "43"');
    expect(nb.stale()).toEqual({ answer: 'stale: this cell changed since it ran', report: 'stale: answer changed since this cell ran' });
  });

  it('cells linked by a table in a shared DuckDB file; a DuckDB of its own links nothing', () => {
    const yaml = `id: duck
namespace: t
tasks:
  - id: load
    type: io.kestra.plugin.jdbc.duckdb.Queries
    url: jdbc:duckdb:/data/shop.duckdb
    sql: CREATE OR REPLACE TABLE sales AS SELECT 1 AS n
  - id: total
    type: io.kestra.plugin.jdbc.duckdb.Query
    url: jdbc:duckdb:/data/shop.duckdb
    sql: SELECT sum(n) FROM sales
  - id: scratch
    type: io.kestra.plugin.jdbc.duckdb.Query
    sql: SELECT count(*) FROM sales
`;
    const nb = new Notebook(yaml).run('all').run(['load']);
    expect(nb.stale()).toEqual({ total: 'stale: load ran again (writes sales, which this cell reads)' });
  });

  it('a script falls back to order: any earlier cell that writes makes it stale, and the badge says why', () => {
    const yaml = `id: script
namespace: t
tasks:
  - id: load
    type: io.kestra.plugin.jdbc.postgresql.Queries
    url: jdbc:postgresql://db:5432/shop
    sql: INSERT INTO sales VALUES (1)
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
  - id: export
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - psql "$DATABASE" -c "\\\\copy (select * from $TABLE) to out.csv"
  - id: note
    type: io.kestra.plugin.core.log.Log
    message: done
  - id: count
    type: io.kestra.plugin.jdbc.postgresql.Query
    url: jdbc:postgresql://db:5432/shop
    sql: SELECT count(*) FROM audit
`;
    const nb = new Notebook(yaml).run('all').run(['load']);
    expect(nb.stale()).toEqual({
      export: 'stale: may depend on earlier cells (its effects cannot be analysed): load ran again',
      // The script may have read sales and written audit: order stands in on both sides of it.
      count: 'stale: load ran again (through export)',
    });
    nb.run(['export']);
    // A query after the script may read what the script wrote; the Log reads nothing it could have written.
    expect(nb.stale()).toEqual({ count: 'stale: export ran again (its effects cannot be analysed)' });
    nb.run(['hello']);
    expect(nb.stale()).toEqual({ count: 'stale: export ran again (its effects cannot be analysed)' });
  });

  it('a chain: the root is named, through the first cell on the way; a stale cell further up makes the cells on its result stale', () => {
    const yaml = `id: chain
namespace: t
tasks:
  - id: z
    type: io.kestra.plugin.core.debug.Return
    format: "1"
  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.z.value }}"
  - id: b
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.a.value }}"
`;
    const nb = new Notebook(yaml).run('all').run(['z']);
    expect(nb.stale()).toEqual({ a: 'stale: z ran again', b: 'stale: z ran again (through a)' });
    nb.run(['b']);
    expect(nb.stale()).toEqual({ a: 'stale: z ran again', b: 'stale: a is stale (z ran again)' });
  });

  it('cells that never ran are never stale, and an upstream that never ran changes nothing', () => {
    const nb = new Notebook(course('01_hello_world')).run(['log_output'].slice(0, 0));
    expect(nb.stale()).toEqual({});
    nb.edit('format: I was generated during this workflow.', 'format: edited');
    expect(nb.stale()).toEqual({});
  });

  it('an input whose default is a template is known only when a run renders it: not compared', () => {
    const yaml = `id: when
namespace: t
inputs:
  - id: at
    type: STRING
    defaults: "{{ now() }}"
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.at }}"
`;
    const nb = new Notebook(yaml).run('all', { at: '2024-03-01T10:00:00Z' });
    nb.current = {};
    expect(nb.stale()).toEqual({});
  });

  it('a skipped run changed nothing downstream', () => {
    const nb = new Notebook(course('01_hello_world')).run('all').run(['generate_output'], {}, 'SKIPPED');
    expect(nb.stale()).toEqual({});
  });

  it('a KV key written by one cell and read by another links them', () => {
    const yaml = `id: kv
namespace: t
tasks:
  - id: remember
    type: io.kestra.plugin.core.kv.Set
    key: last_run
    value: "{{ execution.startDate }}"
  - id: recall
    type: io.kestra.plugin.core.log.Log
    message: "{{ kv('last_run') }}"
`;
    expect(new Notebook(yaml).run('all').run(['remember']).stale()).toEqual({ recall: 'stale: remember ran again (writes KV last_run, which this cell reads)' });
  });

  it('a parent flowable ending after its children never makes them stale', () => {
    const nb = new Notebook(course('04_postgres_taxi')).run('all', { taxi: 'green' }).run(['if_green_taxi']);
    expect(nb.stale()).toEqual({});
  });
});

describe('computeStaleness on bare facts', () => {
  it('a cycle of forward references terminates', () => {
    const graph = notebookDependencies(
      (parseFlow(`id: c
namespace: t
tasks:
  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.b.value }}"
  - id: b
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.a.value }}"
`).flow as FlowSpec),
    );
    const fact = (taskId: string, start: string): CellFacts => ({
      taskId,
      run: { startDate: `2024-01-01T00:00:0${start}Z`, endDate: `2024-01-01T00:00:0${start}Z` },
      edited: taskId === 'a',
      contextChanges: [],
      changedSinceRun: new Set(),
    });
    const v = computeStaleness(graph, [fact('a', '1'), fact('b', '2')]);
    expect(v.get('a')).toMatchObject({ stale: true, reason: 'this cell changed since it ran' });
    expect(v.get('b')).toMatchObject({ stale: true, reason: 'a changed since it ran' });
  });
});
