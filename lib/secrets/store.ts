/**
 * Secrets kept encrypted in the database and decrypted into memory at start, because
 * the engine asks for them synchronously while rendering `{{ secret('X') }}`.
 * The API lists names only; values never leave the server except into a running task.
 */
import type { Db } from '../db/client';
import { Problem } from '../model/problem';
import type { SecretSummary } from '../contract';
import { decrypt, encrypt } from './crypto';

const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export class SecretStore {
  private values = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly key: Buffer,
  ) {}

  async load(): Promise<void> {
    const rows = await this.db.secret.findMany();
    this.values = new Map(rows.map((r) => [r.key, decrypt(this.key, r.key, r.ciphertext)]));
  }

  /** The engine's secret provider. */
  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** Every value, so the engine can mask them in all logs. */
  allValues(): string[] {
    return [...this.values.values()].filter((v) => v.length > 0);
  }

  async list(): Promise<SecretSummary[]> {
    const rows = await this.db.secret.findMany({ select: { key: true, updatedAt: true }, orderBy: { key: 'asc' } });
    return rows.map((r) => ({ key: r.key, updatedAt: r.updatedAt.toISOString() }));
  }

  async set(name: string, value: string): Promise<SecretSummary> {
    if (!KEY_PATTERN.test(name)) throw new Problem('unprocessable', `invalid secret name "${name}": use letters, digits and _ (like an environment variable)`);
    const ciphertext = encrypt(this.key, name, value);
    const row = await this.db.secret.upsert({ where: { key: name }, create: { key: name, ciphertext }, update: { ciphertext } });
    this.values.set(name, value);
    return { key: row.key, updatedAt: row.updatedAt.toISOString() };
  }

  async delete(name: string): Promise<void> {
    const res = await this.db.secret.deleteMany({ where: { key: name } });
    if (res.count === 0) throw Problem.notFound(`secret ${name}`);
    this.values.delete(name);
  }
}
