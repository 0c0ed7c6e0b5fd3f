/** Parameter values from YAML (strings, numbers, booleans, null) into DuckDB bindings. */
import type { DuckDBValue } from '@duckdb/node-api';

export function toDuckDbParameter(value: unknown): DuckDBValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isInteger(value) && Number.isSafeInteger(value) ? BigInt(value) : value;
  return JSON.stringify(value);
}
