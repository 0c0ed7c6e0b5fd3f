/**
 * Opening DuckDB for a task: the JDBC URL to a file, one instance per task run (Kestra
 * disables pooling), interruption on cancel, and offline handling of built-in extensions.
 */
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { TaskError } from '../types';

export interface DuckDbSession {
  connection: DuckDBConnection;
  /** The database file, or undefined for an in-memory database. */
  dbFile: string | undefined;
  /** True for statements that would download an extension the binary already has. */
  isBuiltinInstall(statement: string): boolean;
  close(): void;
}

/**
 * `jdbc:duckdb:` (nothing after) means a fresh file in the working directory, as Kestra's
 * Queries does; `jdbc:duckdb::memory:` is in memory; anything else is a file path,
 * relative paths resolved against the working directory.
 */
export function databaseFileFor(url: string, workingDir: string): string | undefined {
  const m = /^jdbc:duckdb:(.*)$/i.exec(url.trim());
  if (!m) throw new TaskError(`url must start with jdbc:duckdb: (got "${url}")`);
  const target = m[1].split('?')[0].trim();
  if (target === '') return path.join(workingDir, 'database.duckdb');
  if (target === ':memory:' || target.startsWith(':memory:')) return undefined;
  return path.resolve(workingDir, target);
}

const INSTALL = /^\s*(?:force\s+)?install\s+['"]?([A-Za-z0-9_]+)['"]?(?:\s+from\s+\S+)?\s*;?\s*$/i;

export async function openDuckDb(dbFile: string | undefined, signal: AbortSignal): Promise<DuckDbSession> {
  // Loaded on first use: the native module costs most of a second, which every CLI start would pay.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(dbFile ?? ':memory:', { autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  const builtin = new Set(
    (await connection.runAndReadAll("select extension_name from duckdb_extensions() where install_path = '(BUILT-IN)'"))
      .getRowObjectsJS()
      .map((r) => String(r.extension_name).toLowerCase()),
  );
  const onAbort = () => connection.interrupt();
  signal.addEventListener('abort', onAbort);
  return {
    connection,
    dbFile,
    isBuiltinInstall: (statement) => {
      const m = INSTALL.exec(statement);
      return m !== null && builtin.has(m[1].toLowerCase());
    },
    close: () => {
      signal.removeEventListener('abort', onAbort);
      connection.closeSync();
      instance.closeSync();
    },
  };
}
