/** Flows of the query-results spec: one per result shape Kestra's JDBC tasks produce. */

/** Queries, FETCH: a CREATE (no result) then two SELECTs, so two results. */
export const duckdbTwoStatementsFlow = `id: two_statements
namespace: e2e

tasks:
  - id: both
    type: io.kestra.plugin.jdbc.duckdb.Queries
    sql: |
      CREATE TABLE fruit AS SELECT * FROM (VALUES ('apple', 3), ('banana', 5), ('cherry', 7)) AS t(name, qty);
      SELECT count(*) AS n FROM fruit;
      SELECT name, qty FROM fruit ORDER BY name;
    fetchType: FETCH
`;

/** Query, FETCH_ONE: outputs.row. */
export const fetchOneFlow = `id: fetch_one
namespace: e2e

tasks:
  - id: answer
    type: io.kestra.plugin.jdbc.duckdb.Query
    sql: SELECT 42 AS answer, 'forty-two' AS words, DATE '2019-01-01' AS day
    fetchType: FETCH_ONE
`;

/** PostgreSQL Query, FETCH: outputs.rows from a real server at 127.0.0.1:port. */
export const postgresFetchFlow = (port: number) => `id: pg_fetch
namespace: e2e

tasks:
  - id: squares
    type: io.kestra.plugin.jdbc.postgresql.Query
    url: jdbc:postgresql://127.0.0.1:${port}/ny_taxi
    username: root
    password: root
    sql: SELECT g AS n, g * g AS square, DATE '2019-01-01' + (g - 1) AS day FROM generate_series(1, 12) g ORDER BY g
    fetchType: FETCH
`;

/** Trips by vendor and day: enough columns for x, several y and a group by. */
export const tripsChartFlow = `id: trips_chart
namespace: e2e

tasks:
  - id: trips
    type: io.kestra.plugin.jdbc.duckdb.Query
    sql: |
      SELECT * FROM (VALUES
        ('A', DATE '2019-01-01', 10.0, 1.0),
        ('A', DATE '2019-01-01', 30.0, 3.0),
        ('B', DATE '2019-01-01', 15.0, 2.0),
        ('A', DATE '2019-01-02', 12.0, 1.5),
        ('B', DATE '2019-01-02', 25.0, 4.0),
        ('B', DATE '2019-01-03', 8.0, 0.5),
        ('A', DATE '2019-01-03', 18.0, 2.5)
      ) AS t(vendor, day, fare, tip)
    fetchType: FETCH
`;
