import { describe, expect, it } from 'vitest';
import { cellResults, resultOf, returnsRows, rowCount, splitSql, statementLabel } from './results';

const URI = 'kestra:///zoomcamp/03/executions/e1/tasks/query/t1/query-3.ion';

describe('result shapes of JDBC outputs', () => {
  it('Query FETCH_ONE: one row, or null when the query found none', () => {
    expect(cellResults({ row: { answer: 42 }, size: 1 })).toEqual([{ key: 'result', label: 'Result', result: { kind: 'row', row: { answer: 42 } } }]);
    expect(cellResults({ row: null, size: 0 })[0].result).toEqual({ kind: 'row', row: null });
  });

  it('Query FETCH: rows with their size and the cap note', () => {
    const rows = [{ n: 1 }, { n: 2 }];
    expect(resultOf({ rows, size: 2 })).toEqual({ kind: 'rows', rows, size: 2, note: undefined });
    expect(resultOf({ rows, size: 2, truncated: true, note: 'Only the first 2 rows' })).toMatchObject({ note: 'Only the first 2 rows' });
  });

  it('Query STORE: the Ion file with its size', () => {
    expect(resultOf({ uri: URI, size: 120 })).toEqual({ kind: 'stored', uri: URI, size: 120 });
  });

  it('NONE and tasks without results show none', () => {
    expect(cellResults({})).toEqual([]);
    expect(cellResults({ value: 'hi' })).toEqual([]);
    expect(cellResults({ uri: 'https://example.com/x' })).toEqual([]);
    expect(cellResults(undefined)).toEqual([]);
  });

  it('Queries: one result per output entry, empty (NONE) entries skipped, keys by position', () => {
    const results = cellResults({ outputs: [{ row: { n: 4 }, size: 1 }, {}, { uri: URI, size: 3 }], outputFiles: {} });
    expect(results.map((r) => [r.key, r.result.kind])).toEqual([
      ['statement-1', 'row'],
      ['statement-3', 'stored'],
    ]);
  });

  it('Queries: labels come from the SQL when its row-returning statements line up with the outputs', () => {
    const sql = `INSTALL json;
LOAD json;
-- the brands
SELECT brand, round(avg(price), 2) as avg_price
FROM read_json_auto('{{workingDir}}/products.json')
GROUP BY brand;
CREATE TABLE t AS SELECT 1;
SELECT count(*) AS n FROM t;`;
    const results = cellResults({ outputs: [{ uri: URI, size: 4 }, { row: { n: 1 }, size: 1 }] }, sql);
    expect(results.map((r) => r.label)).toEqual(['SELECT brand, round(avg(price), 2)…', 'SELECT count(*) AS n FROM t']);
    expect(results[0].statement).toMatch(/^SELECT brand/);
    // One output too many for the SQL: numbered instead of guessed.
    expect(cellResults({ outputs: [{ row: null }, { row: null }, { row: null }] }, sql).map((r) => r.label)).toEqual(['Result 1', 'Result 2', 'Result 3']);
  });

  it('row counts', () => {
    expect(rowCount({ kind: 'row', row: null })).toBe(0);
    expect(rowCount({ kind: 'row', row: {} })).toBe(1);
    expect(rowCount({ kind: 'rows', rows: [], size: 7 })).toBe(7);
    expect(rowCount({ kind: 'stored', uri: URI })).toBeUndefined();
  });
});

describe('SQL statements', () => {
  it('splits at semicolons outside strings, identifiers, dollar quotes and comments', () => {
    expect(splitSql(`SELECT ';' AS a; SELECT "x;y" FROM t; -- c;
/* d; */ SELECT $$;$$; SELECT $tag$ ; $tag$;`)).toEqual([`SELECT ';' AS a`, 'SELECT "x;y" FROM t', 'SELECT $$;$$', 'SELECT $tag$ ; $tag$']);
    expect(splitSql("SELECT 'it''s;'; ;  ")).toEqual(["SELECT 'it''s;'"]);
  });

  it('knows which statements return rows', () => {
    for (const s of ['SELECT 1', 'with x as (select 1) select * from x', 'VALUES (1)', 'SHOW TABLES', 'DESCRIBE t', 'FROM t', 'PRAGMA version', '(SELECT 1) UNION (SELECT 2)', 'INSERT INTO t VALUES (1) RETURNING id']) {
      expect(returnsRows(s), s).toBe(true);
    }
    for (const s of ['INSTALL json', 'LOAD json', 'CREATE TABLE t AS SELECT 1', 'INSERT INTO t SELECT 1', 'TRUNCATE t', 'COPY t FROM STDIN', 'UPDATE t SET a = 1']) {
      expect(returnsRows(s), s).toBe(false);
    }
  });

  it('labels a statement on one line', () => {
    expect(statementLabel('SELECT a,\n       b\nFROM t')).toBe('SELECT a, b FROM t');
    expect(statementLabel('SELECT 123456789', 10)).toBe('SELECT 12…');
  });
});
