/**
 * Where Flowbook keeps its data: FLOWBOOK_DATA_DIR (default ./data) holds the SQLite
 * database, internal storage and the secret key; DATABASE_URL switches to PostgreSQL.
 */
import path from 'node:path';

export type DatabaseConfig =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgresql'; url: string };

export type DatabaseKind = DatabaseConfig['kind'];

export function dataDirFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return path.resolve(env.FLOWBOOK_DATA_DIR || './data');
}

export function databaseFromEnv(dataDir: string, env: Readonly<Record<string, string | undefined>> = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (!url) return { kind: 'sqlite', file: path.join(dataDir, 'flowbook.db') };
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgresql', url };
  if (url.startsWith('file:')) return { kind: 'sqlite', file: path.resolve(url.slice('file:'.length)) };
  throw new Error(`DATABASE_URL must be a postgresql:// URL or file:<path> (got "${url.replace(/\/\/[^@]*@/, '//***@')}")`);
}
