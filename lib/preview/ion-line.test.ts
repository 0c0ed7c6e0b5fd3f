import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { ionChunkEncoder } from '../tasks/jdbc-duckdb/ion-columns';
import { readIonRecord } from './ion-line';
import { ionPage } from './line-source';

/** Lines as DuckDB STORE writes them for every column type it has, nulls included. */
async function storeLines(): Promise<string[]> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const result = await c.stream(`
    SELECT i AS id, i % 3 = 0 AS flag, (i * 1e15)::BIGINT * 40 AS big, (i / 7.0)::DOUBLE AS ratio, CASE WHEN i = 4 THEN 'nan'::DOUBLE ELSE 1e300 * i END AS wide,
           (i * 1.25 - 3)::DECIMAL(8,2) AS amount, i::DECIMAL(5,0) AS whole, (i * 1e17)::DECIMAL(38,3) AS huge,
           CASE WHEN i % 4 = 0 THEN NULL ELSE 'name "' || i || '" \\ é' || chr(10) END AS text,
           DATE '2019-01-01' + i::INTEGER AS day, TIMESTAMP '2019-01-01 00:00:00.5' + to_seconds(i * 3601) AS at, TIMESTAMPTZ '2019-01-01 10:00:00+00' + to_microseconds(i) AS zoned,
           [i, NULL, i * 2] AS list, {'a': i, 'b': [TIMESTAMP '2019-01-01 10:00:00'], 'c': {'d': 'x'}} AS nested, MAP {'k': i} AS map,
           '{"x":[1,{"y":null}],"z":1.5}'::JSON AS doc, i AS "it's", i AS "null", i AS "with space"
    FROM range(12) t(i)`);
  const encode = ionChunkEncoder(result.deduplicatedColumnNames(), result.columnTypes());
  let text = '';
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) text += Buffer.from(encode(chunk)).toString('utf8');
  c.closeSync();
  db.closeSync();
  return text.trimEnd().split('\n');
}

const KESTRA_LINES = [
  '{a:"x",b:1.5e0,c:2019-01-01T00:00:00.000Z,d:null.string,\'e f\':[1,2,{g:h}],"q":\'sym\',n:-0.5,big:123456789012345678901234567890}',
  '{ id : 7 , when : 2024-02-29T , t : 2019-01-01T00:00Z, off: 2019-01-01T00:00:00+05:30, e: [], s: {} , f: -inf, g: +inf, z: 0.00, w: 7. }',
  '{d:1.5d3,o:2019-01-01T00:00:00+00:00,u:"\\u00e9\\t",big:-9007199254740993}',
];

/** Lines the fast reader leaves to the full reader, which must still read them. */
const FULL_READER_LINES = [
  "{a:annotated::1}",
  '{a:{{aGVsbG8=}}}',
  "{a:'''long'''}",
  '{a:1 /* comment */}',
  '{a:0x10}',
  '{a:"\\x41"}',
  '{a:1,a:2}',
  '42',
];

describe('the fast Ion record reader', () => {
  it('reads every line STORE writes itself, exactly as the full Ion reader does', async () => {
    const lines = await storeLines();
    expect(lines).toHaveLength(12);
    for (const line of lines) expect(readIonRecord(line), line).toBeDefined();
    expect(ionPage(lines)).toEqual(ionPage(lines, { fullReader: true }));
    expect(ionPage(lines.slice(1, 2)).rows[0].slice(0, 6)).toEqual([1, false, '40000000000000000', 1 / 7, 1e300, -1.75]);
  });

  it('reads the plain shapes Kestra writes as the full reader does', () => {
    for (const line of KESTRA_LINES.slice(0, 2)) expect(readIonRecord(line), line).toBeDefined();
    expect(ionPage(KESTRA_LINES)).toEqual(ionPage(KESTRA_LINES, { fullReader: true }));
    expect(ionPage(KESTRA_LINES.slice(1, 2)).rows[0]).toEqual([7, '2024-02-29T', '2019-01-01T00:00Z', '2019-01-01T00:00:00+05:30', [], {}, -Infinity, Infinity, 0, 7]);
  });

  it('leaves annotations, blobs, long strings, comments, other escapes and repeated fields to the full reader', () => {
    for (const line of FULL_READER_LINES) expect(readIonRecord(line), line).toBeUndefined();
    expect(ionPage(FULL_READER_LINES)).toEqual(ionPage(FULL_READER_LINES, { fullReader: true }));
    expect(ionPage(['{a:{{aGVsbG8=}}}']).rows).toEqual([['aGVsbG8=']]);
  });
});
