/** The flows the end-to-end tests import, written as a learner would paste them. */

export const liveLogsFlow = (id: string, pauseSeconds: number) => `id: ${id}
namespace: e2e
description: Prints, waits, prints again.

tasks:
  - id: talk
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - echo first-line
      - sleep ${pauseSeconds}
      - echo second-line
`;

export const duckdbStoreFlow = `id: duck_results
namespace: e2e

tasks:
  - id: numbers
    type: io.kestra.plugin.jdbc.duckdb.Query
    sql: SELECT range AS n, range * 2 AS doubled FROM range(0, 120)
    fetchType: STORE
`;

export const threeQueriesFlow = `id: three_queries
namespace: e2e
# A flow of three small DuckDB queries.

tasks:
  - id: first
    type: io.kestra.plugin.jdbc.duckdb.Query
    sql: SELECT 1 AS a
    fetchType: FETCH_ONE

  # %% [markdown]
  # The cell we edit.
  - id: second
    type: io.kestra.plugin.jdbc.duckdb.Query
    sql: SELECT 2 AS b
    fetchType: FETCH_ONE

  - id: third
    type: io.kestra.plugin.jdbc.duckdb.Query
    sql: SELECT 3 AS c
    fetchType: FETCH_ONE
`;

/** Line 7 repeats the key `message`: the YAML parser reports it at line 7, column 5. */
export const brokenFlow = `id: broken
namespace: e2e
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
    message: again
`;

export const oneLogFlow = `id: add_delete
namespace: e2e

tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
`;

/** A FILE input handed to a shell task as `data.csv`. */
export const countLinesFlow = `id: count_lines
namespace: e2e

inputs:
  - id: data
    type: FILE
    description: A CSV file to count.

tasks:
  - id: count
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    inputFiles:
      data.csv: "{{ inputs.data }}"
    commands:
      - echo "lines=$(wc -l < data.csv)"
`;

/** One cell per result view: fetched rows (two columns, so chartable), a stored file, a Return value. */
export const resultViewsFlow = `id: result_views
namespace: e2e

tasks:
  - id: fruits
    type: io.kestra.plugin.jdbc.duckdb.Query
    sql: SELECT * FROM (VALUES ('apple', 3), ('banana', 5), ('cherry', 2), ('date', 7)) AS t(fruit, qty) ORDER BY fruit
    fetchType: FETCH

  - id: make_csv
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    outputFiles:
      - cities.csv
    commands:
      - printf 'id,city\\n1,Berlin\\n2,Lisbon\\n3,Oslo\\n' > cities.csv

  - id: answer
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.fruits.size }} fruits"
`;
