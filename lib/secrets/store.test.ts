import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stopSharedPostgres, testApp, type Provider } from '../../test/api/harness';
import { decrypt, encrypt, loadOrCreateKey } from './crypto';
import { SecretStore } from './store';

afterAll(stopSharedPostgres);

const VALUE = 'hunter2-very-secret-password';

describe('secret key', () => {
  it('is generated once in the data dir, readable by the owner only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-key-'));
    const key = loadOrCreateKey(dir, {});
    expect(key.length).toBe(32);
    expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKey(dir, {}).equals(key)).toBe(true);
  });

  it('a value encrypted under one name or key does not decrypt under another', () => {
    const key = loadOrCreateKey(fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-key-')), {});
    const other = loadOrCreateKey(fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-key-')), {});
    const stored = encrypt(key, 'A', VALUE);
    expect(decrypt(key, 'A', stored)).toBe(VALUE);
    expect(() => decrypt(key, 'B', stored)).toThrow(/cannot be decrypted/);
    expect(() => decrypt(other, 'A', stored)).toThrow(/cannot be decrypted/);
  });
});

describe.each<Provider>(['sqlite', 'postgresql'])('secrets on %s', (provider) => {
  it('are stored encrypted, listed without values, served to the engine and masked in logs', async () => {
    const app = await testApp(provider);
    try {
      await app.secrets.set('DB_PASSWORD', VALUE);
      const rows = await app.db.secret.findMany();
      expect(rows).toHaveLength(1);
      expect(rows[0].ciphertext).not.toContain(VALUE);
      expect(Buffer.from(rows[0].ciphertext, 'base64').toString('latin1')).not.toContain(VALUE);
      expect(JSON.stringify(await app.secrets.list())).not.toContain(VALUE);
      expect(await app.secrets.list()).toEqual([{ key: 'DB_PASSWORD', updatedAt: expect.any(String) }]);

      // A fresh store over the same database and key reads it back.
      const reopened = new SecretStore(app.db, loadOrCreateKey(app.dataDir, {}));
      await reopened.load();
      expect(reopened.get('DB_PASSWORD')).toBe(VALUE);

      const { id } = await app.notebooks.create(`id: secret_use
namespace: test.app
tasks:
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "password is {{ secret('DB_PASSWORD') }}"
`);
      const { executionId } = await app.runs.start(id, { mode: 'all' });
      await app.runs.settled(executionId);
      const logs = await app.runs.logs(executionId);
      const line = logs.find((l) => l.taskId === 'show');
      expect(line?.message).toMatch(/^password is \*+$/);
      expect(JSON.stringify(logs)).not.toContain(VALUE);

      await app.secrets.delete('DB_PASSWORD');
      expect(await app.secrets.list()).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
