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

/**
 * The file STORE writes from `sql` through the column encoder, and through row objects as
 * before, as text. The encoder's bytes must be the UTF-8 of the row path's text: compared
 * as text first for a readable difference, then as bytes, which text could hide (two
 * different invalid sequences both read as U+FFFD).
 */
async function bothWays(sql: string): Promise<{ columns: string; rows: string }> {
  const result = await c.stream(sql);
  const names = result.deduplicatedColumnNames();
  const types = result.columnTypes();
  const encode = ionChunkEncoder(names, types);
  const converters = types.map(columnConverter);
  const blocks: Uint8Array[] = [];
  let rows = '';
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    blocks.push(Buffer.from(encode(chunk))); // a copy: the next chunk is written over these bytes
    for (const values of chunk.getRows()) {
      const row: SqlRow = {};
      names.forEach((n, i) => (row[n] = converters[i](values[i])));
      rows += ionRecordLine(row);
    }
  }
  const bytes = Buffer.concat(blocks);
  const columns = bytes.toString('utf8');
  expect(columns).toBe(rows);
  expect(bytes.equals(Buffer.from(rows))).toBe(true);
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

  it('writes strings as JSON.stringify quotes them: escapes, control characters, non-ASCII, byte order marks', async () => {
    // Inline (≤ 12 bytes) and out-of-line strings both; chr(65279) is a byte order mark,
    // which the row path's decoder drops at the start of a string and keeps elsewhere.
    const { columns } = await bothWays(`
      SELECT * FROM (VALUES
        ('plain', 'a longer plain string', ''),
        ('say "hi"', 'back\\slash \\ and "quotes" past twelve bytes', chr(127)),
        ('é', 'naïve café, ✓ and 🦆 past twelve bytes', '🦆'),
        (chr(65279) || 'bom', chr(65279) || 'a byte order mark first, past twelve', 'x' || chr(65279)),
        (chr(1) || chr(8) || chr(9) || chr(10), chr(12) || chr(13) || chr(27) || chr(31) || ' control characters', chr(0)),
        ('123456789012', '1234567890123', NULL)
      ) v(short, long, edge)`);
    expect(columns.split('\n').slice(0, 6)).toEqual([
      '{short:"plain",long:"a longer plain string",edge:""}',
      '{short:"say \\"hi\\"",long:"back\\\\slash \\\\ and \\"quotes\\" past twelve bytes",edge:"\x7f"}',
      '{short:"é",long:"naïve café, ✓ and 🦆 past twelve bytes",edge:"🦆"}',
      '{short:"bom",long:"a byte order mark first, past twelve",edge:"x\ufeff"}',
      '{short:"\\u0001\\b\\t\\n",long:"\\f\\r\\u001b\\u001f control characters",edge:"\\u0000"}',
      '{short:"123456789012",long:"1234567890123",edge:null}',
    ]);
  });

  it('every code point through 0x2FFF, one per string and in runs, reads back as the row path writes it', async () => {
    await bothWays(`
      SELECT chr(i::INTEGER) AS ch, 'x' || chr(i::INTEGER) || '"' AS short, repeat(chr(i::INTEGER), 7) AS run
      FROM range(1, 12288) t(i)`);
  });

  it('writes integers and decimals at the edge of what a double holds exactly', async () => {
    const { columns } = await bothWays(`
      SELECT 9007199254740991 AS max_safe, -9007199254740991 AS min_safe, 9007199254740992 AS past_safe,
             4294967295::UINTEGER AS uint, (-2147483648)::INTEGER AS int, 18446744073709551615::UBIGINT AS ubig,
             9007199254740.991::DECIMAL(18,3) AS dec_max, -9007199254740.991::DECIMAL(18,3) AS dec_min,
             -0.05::DECIMAL(4,2) AS small_negative, 0::DECIMAL(3,0) AS zero, -0.000000000000000001::DECIMAL(18,18) AS tiny`);
    expect(columns).toBe(
      '{max_safe:9007199254740991,min_safe:-9007199254740991,past_safe:9007199254740992,uint:4294967295,int:-2147483648,ubig:18446744073709551615,' +
        'dec_max:9007199254740.991,dec_min:-9007199254740.991,small_negative:-0.05,zero:0.,tiny:-0.000000000000000001}\n',
    );
  });

  it('writes timestamps with and without a fraction, trailing zeros dropped', async () => {
    const { columns } = await bothWays(`
      SELECT TIMESTAMP '2019-01-01 00:00:00' AS whole, TIMESTAMP '2019-01-01 23:59:59.5' AS half,
             TIMESTAMP '1969-12-31 23:59:59.000001' AS before_epoch, TIMESTAMP '2019-06-30 12:34:56.123450' AS micros,
             TIMESTAMPTZ '2019-01-01 10:00:00.01+00' AS zoned, '2019-01-01 10:00:00.25'::TIMESTAMP_MS AS ms, '2019-01-01 10:00:07'::TIMESTAMP_S AS s`);
    expect(columns).toBe(
      '{whole:2019-01-01T00:00:00-00:00,half:2019-01-01T23:59:59.5-00:00,before_epoch:1969-12-31T23:59:59.000001-00:00,micros:2019-06-30T12:34:56.12345-00:00,' +
        'zoned:2019-01-01T10:00:00.01Z,ms:2019-01-01T10:00:00.25-00:00,s:2019-01-01T10:00:07-00:00}\n',
    );
  });

  it('keeps every row across chunk boundaries, and chunks larger than the buffer it writes into', async () => {
    // DuckDB hands out 2048 rows a chunk; 2048 rows of 3 KB strings are more than one buffer slab.
    const { columns } = await bothWays(`
      SELECT i AS n, CASE WHEN i % 2049 = 0 THEN NULL ELSE repeat(chr(97 + (i % 26)::INTEGER), 3000) || i END AS wide
      FROM range(6145) t(i)`);
    const lines = columns.trimEnd().split('\n');
    expect(lines).toHaveLength(6145);
    expect(lines.map((l) => Number(/^\{n:(\d+),/.exec(l)?.[1]))).toEqual(Array.from({ length: 6145 }, (_, i) => i));
    expect(lines[2047]).toBe(`{n:2047,wide:"${'t'.repeat(3000)}2047"}`);
    expect(lines[2049]).toBe('{n:2049,wide:null}');
  });

  it('reads strings kept out of line wherever DuckDB put them: from a table, shuffled, nulls between, one past a megabyte', async () => {
    await c.run(`CREATE OR REPLACE TABLE words AS
      SELECT i, CASE WHEN i % 11 = 0 THEN NULL ELSE repeat(chr(65 + (i % 26)::INTEGER), (i % 40)::INTEGER) || ' #' || i END AS word
      FROM range(9000) t(i)`);
    const { columns } = await bothWays(`
      SELECT * FROM (SELECT word, i FROM words ORDER BY hash(i))
      UNION ALL SELECT repeat('long ', 250000) || 'end', -1`);
    expect(columns.split('\n')).toHaveLength(9002);
    expect(columns).toContain(`{word:"${'long '.repeat(250000)}end",i:-1}`);
  });
});
