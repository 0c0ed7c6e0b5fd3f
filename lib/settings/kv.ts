/**
 * KV pairs for the settings page: one namespace, or every namespace that has any (the
 * store keeps them under `<storage>/<ns as path>/_kv/`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KvStore } from '../storage/kv';
import type { LocalStorage } from '../storage/storage';
import type { KvEntryDto } from '../contract';

const MAX_DEPTH = 8;

export function kvNamespaces(storage: LocalStorage): string[] {
  const found: string[] = [];
  const walk = (dir: string, parts: string[]): void => {
    if (parts.length > MAX_DEPTH) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      if (e.name === '_kv' && parts.length > 0) found.push(parts.join('.'));
      // Execution files are never KV: skip the biggest subtree.
      else if (e.name !== 'executions' && e.name !== '_kv') walk(path.join(dir, e.name), [...parts, e.name]);
    }
  };
  walk(storage.baseDir, []);
  return found.sort();
}

export function listKv(kv: KvStore, storage: LocalStorage, namespace?: string): KvEntryDto[] {
  const namespaces = namespace ? [namespace] : kvNamespaces(storage);
  return namespaces.flatMap((ns) =>
    kv.list(ns).map((e) => {
      const got = kv.get(ns, e.key);
      return { namespace: ns, ...e, value: got.found ? got.value : null };
    }),
  );
}
