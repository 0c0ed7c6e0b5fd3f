/**
 * Kestra's KV store: one value per key and namespace, kept in internal storage under
 * `/{ns}/_kv/{key}.json` so the CLI and the app share it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LocalStorage } from './storage';

export type KvType = 'STRING' | 'NUMBER' | 'BOOLEAN' | 'DATETIME' | 'DATE' | 'DURATION' | 'JSON';

interface KvRecord {
  value: unknown;
  type: KvType;
  /** ISO time after which the key counts as missing. */
  expiresAt?: string;
  updatedAt: string;
}

const KEY_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

export class KvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KvError';
  }
}

export class KvStore {
  constructor(private readonly storage: LocalStorage) {}

  private file(namespace: string, key: string): string {
    if (!KEY_PATTERN.test(key)) throw new KvError(`invalid KV key "${key}": use letters, digits, '.', '_' and '-'`);
    return this.storage.resolve(this.storage.toUri(`/${namespace.replace(/\./g, '/')}/_kv/${key}.json`));
  }

  get(namespace: string, key: string): { found: true; value: unknown } | { found: false } {
    const f = this.file(namespace, key);
    if (!fs.existsSync(f)) return { found: false };
    const rec = JSON.parse(fs.readFileSync(f, 'utf8')) as KvRecord;
    if (rec.expiresAt && Date.parse(rec.expiresAt) <= Date.now()) return { found: false };
    return { found: true, value: rec.value };
  }

  /** Kestra's kv() without an explicit namespace walks up parent namespaces. */
  getInherited(namespace: string, key: string): { found: true; value: unknown; namespace: string } | { found: false } {
    const parts = namespace.split('.');
    for (let i = parts.length; i > 0; i--) {
      const ns = parts.slice(0, i).join('.');
      const r = this.get(ns, key);
      if (r.found) return { ...r, namespace: ns };
    }
    return { found: false };
  }

  set(namespace: string, key: string, value: unknown, opts: { type?: KvType; ttlMs?: number; overwrite?: boolean } = {}): void {
    const f = this.file(namespace, key);
    if (opts.overwrite === false && this.get(namespace, key).found) {
      throw new KvError(`KV key "${key}" already exists in namespace ${namespace} and overwrite is false`);
    }
    const rec: KvRecord = {
      value,
      type: opts.type ?? inferType(value),
      updatedAt: new Date().toISOString(),
      expiresAt: opts.ttlMs !== undefined ? new Date(Date.now() + opts.ttlMs).toISOString() : undefined,
    };
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, JSON.stringify(rec));
  }

  delete(namespace: string, key: string): boolean {
    const f = this.file(namespace, key);
    if (!fs.existsSync(f)) return false;
    fs.rmSync(f);
    return true;
  }

  list(namespace: string): { key: string; type: KvType; updatedAt: string; expiresAt?: string }[] {
    const dir = this.storage.resolve(this.storage.toUri(`/${namespace.replace(/\./g, '/')}/_kv`));
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => {
        const rec = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as KvRecord;
        return { key: f.slice(0, -5), type: rec.type, updatedAt: rec.updatedAt, expiresAt: rec.expiresAt };
      });
  }
}

function inferType(value: unknown): KvType {
  if (typeof value === 'number') return 'NUMBER';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (typeof value === 'object' && value !== null) return 'JSON';
  return 'STRING';
}
