import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ion from 'ion-js';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { ionRecordLine } from '../jdbc-common/ion-writer';
import type { SqlRow } from '../jdbc-common/values';
import { ionChunkEncoder } from './ion-columns';
import { columnConverter } from './values';

let db: DuckDBInstance;
let c: DuckDBConnection;

beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  c = await db.connect();
});
afterAll(() => {
  c.closeSync();
  db.closeSync();
});

/** The file STORE writes from `sql` through the column encoder, and through row objects as before. */
async function bothWays(sql: string): Promise<{ columns: string; rows: string }> {
  const result = await c.stream(sql);
  const names = result.deduplicatedColumnNames();
  const types = result.columnTypes();
  const encode = ionChunkEncoder(names, types);
  const converters = types.map(columnConverter);
  let columns = '';
  let rows = '';
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    columns += encode(chunk);
    for (const values of chunk.getRows()) {
      const row: SqlRow = {};
      names.forEach((n, i) => (row[n] = converters[i](values[i])));
      rows += ionRecordLine(row);
    }
  }
  return { columns, rows };
}

describe('STORE Ion from DuckDB columns', () => {
  it('writes every scalar type byte for byte as the row path, over many chunks with nulls', async () => {
    // 5000 rows span three DuckDB chunks; every 7th value of each column is NULL.
    const { columns, rows } = await bothWays(`
      SELECT
        CASE WHEN i % 7 = 0 THEN NULL ELSE i % 2 = 0 END AS flag,
        CASE WHEN i % 7 = 1 THEN NULL ELSE (i % 256 - 128)::TINYINT END AS tiny,
        (i % 200)::UTINYINT AS utiny, (i * 7 - 20000)::SMALLINT AS small, (i * 3)::USMALLINT AS usmall,
        (i * 100003 - 250000000)::INTEGER AS int, (i * 800000)::UINTEGER AS uint,
        CASE WHEN i % 7 = 2 THEN NULL ELSE (i - 2500) * 3000000000000::BIGINT END AS big,
        CASE WHEN i % 5 = 0 THEN 9223372036854775807 - i ELSE i - 100 END AS huge_big,
        i::UBIGINT * 3000000000000000::UBIGINT AS ubig,
        (i / 3.0)::FLOAT AS f, CASE WHEN i % 11 = 0 THEN 'nan'::DOUBLE WHEN i % 13 = 0 THEN '-inf'::DOUBLE ELSE (i - 2500) / 8.0 END AS d,
        ((i % 9999 - 4999) / 100.0)::DECIMAL(4,2) AS dec4, (i * 1.333 - 3000)::DECIMAL(9,3) AS dec9,
        CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 12345.67 - 30000000)::DECIMAL(18,2) END AS dec18,
        (i - 2500)::DECIMAL(10,0) AS dec_scale0, (i * 1e20)::DECIMAL(38,4) AS dec38,
        CASE WHEN i % 7 = 4 THEN NULL ELSE 'row ' || i || CASE WHEN i % 3 = 0 THEN ' with a "quote", a \\ and é ✓ and a long tail' ELSE '' END END AS text,
        chr(10) || chr(9) || chr(1) || '''' AS controls,
        DATE '1970-01-01' + (i * 37 - 90000)::INTEGER AS day,
        TIMESTAMP '1969-12-31 23:59:59.999999' + to_microseconds((i - 2500) * 86400123457) AS ts,
        (TIMESTAMP '2019-01-01' + to_seconds(i))::TIMESTAMP_S AS ts_s,
        (TIMESTAMP '2019-01-01 00:00:00.5' + to_milliseconds(i * 1001))::TIMESTAMP_MS AS ts_ms,
        CASE WHEN i % 7 = 5 THEN NULL ELSE TIMESTAMPTZ '2019-06-01 12:00:00+00' + to_microseconds(i * 123457) END AS tstz
      FROM range(5000) t(i)`);
    expect(columns.split('\n')).toHaveLength(5001);
    expect(columns).toBe(rows);
  });

  it('hands values it cannot read fast to the row path: far timestamps, infinities, nested and JSON columns', async () => {
    const { columns, rows } = await bothWays(`
      SELECT * FROM (VALUES
        (TIMESTAMP '0001-01-01 00:00:00', DATE '0001-01-01', 'infinity'::DATE, 'infinity'::TIMESTAMP, TIMESTAMP '9999-12-31 23:59:59',
         [1, 2, NULL], {'a': 1.5::DOUBLE, 'b': [TIMESTAMP '2019-01-01 10:00:00']}, MAP {'k': 2.50::DECIMAL(5,2)}, '{"x":[1,{"y":null}]}'::JSON,
         170141183460469231731687303715884105727::HUGEINT, 'blob\\x00'::BLOB, INTERVAL 3 DAY, TIME '10:11:12', uuid '00000000-0000-0000-0000-000000000001',
         '-0001-01-01'::TIMESTAMP, 1::INTEGER, 2),
        (NULL, NULL, '-infinity'::DATE, '-infinity'::TIMESTAMP, NULL, [], NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
      ) v(a, b, c, d, e, list, struct, map, doc, hugeint, blob, span, clock, id, bc, "it's", "null")`);
    expect(columns).toBe(rows);
    const [first] = columns.trimEnd().split('\n').map((l) => ion.load(l));
    expect(first?.get('a')?.getType()).toBe(ion.IonTypes.TIMESTAMP);
    expect(columns).toContain(',e:9999-12-31T23:59:59-00:00,');
    expect(first?.get('e')?.getType()).toBe(ion.IonTypes.TIMESTAMP);
    expect(first?.get('struct', 'b', 0)?.getType()).toBe(ion.IonTypes.TIMESTAMP);
    expect(first?.get('doc', 'x', 1, 'y')?.isNull()).toBe(true);
  });

  it('round-trips timestamps, decimals, nulls and strings through an Ion reader', async () => {
    const { columns } = await bothWays(`
      SELECT TIMESTAMP '2019-01-01 00:46:40.120' AS local, TIMESTAMPTZ '2019-01-01 10:00:00.000001+00' AS zoned,
             123456789012.34::DECIMAL(18,2) AS amount, -0.01::DECIMAL(6,2) AS cents, 7::DECIMAL(3,0) AS whole,
             NULL::VARCHAR AS missing, 'say "hi"' || chr(10) AS text, DATE '2024-02-29' AS day`);
    expect(columns).toBe(
      '{local:2019-01-01T00:46:40.12-00:00,zoned:2019-01-01T10:00:00.000001Z,amount:123456789012.34,cents:-0.01,whole:7.,missing:null,text:"say \\"hi\\"\\n",day:2024-02-29T}\n',
    );
    const value = ion.load(columns);
    expect(value?.get('local')?.timestampValue()?.getDate().toISOString()).toBe('2019-01-01T00:46:40.120Z');
    expect(value?.get('zoned')?.timestampValue()?.toString()).toBe('2019-01-01T10:00:00.000001Z');
    expect(value?.get('amount')?.decimalValue()?.toString()).toBe('123456789012.34');
    expect(value?.get('cents')?.decimalValue()?.toString()).toBe('-0.01');
    expect(value?.get('whole')?.getType()).toBe(ion.IonTypes.DECIMAL);
    expect(value?.get('missing')?.isNull()).toBe(true);
    expect(value?.get('text')?.stringValue()).toBe('say "hi"\n');
  });
});
