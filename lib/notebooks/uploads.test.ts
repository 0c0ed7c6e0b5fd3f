import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { safeFileName, UploadStore } from './uploads';

function body(text: string): ReadableStream<Uint8Array> {
  return new Blob([text]).stream();
}

describe('UploadStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-uploads-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stores the body under the data dir and resolves its token back to that file', async () => {
    const store = new UploadStore(dir);
    const up = await store.save('nb-1', 'trips.csv', body('a,b\n1,2\n'));
    expect(up).toMatchObject({ name: 'trips.csv', size: 8 });
    expect(up.token).toMatch(/^upload:[0-9a-f-]{36}\/trips\.csv$/);
    const file = store.resolve('nb-1', 'data', up.token);
    expect(file.startsWith(path.join(dir, 'uploads', 'nb-1') + path.sep)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('a,b\n1,2\n');
  });

  it('never uses the user name as a path', async () => {
    const store = new UploadStore(dir);
    const up = await store.save('nb-1', '../../etc/passwd', body('x'));
    expect(up.name).toBe('passwd');
    expect(safeFileName('..')).toBe('upload');
    expect(safeFileName('C:\\Users\\me\\my data (1).csv')).toBe('my_data_1_.csv');
    expect(safeFileName('.bashrc')).toBe('bashrc');
  });

  it('refuses a body over the limit and leaves nothing behind', async () => {
    const store = new UploadStore(dir, 10);
    await expect(store.save('nb-1', 'big.csv', body('01234567890'))).rejects.toMatchObject({ kind: 'too-large', message: expect.stringContaining('upload limit') });
    await expect(store.save('nb-1', 'big.csv', body('0'), 11)).rejects.toMatchObject({ kind: 'too-large' });
    expect(fs.readdirSync(path.join(dir, 'uploads', 'nb-1'))).toEqual([]);
  });

  it('refuses tokens that are not the exact form it hands out, and tokens of another notebook', async () => {
    const store = new UploadStore(dir);
    const up = await store.save('nb-1', 'a.csv', body('x'));
    const id = up.token.slice('upload:'.length, up.token.indexOf('/'));
    for (const bad of [`upload:${id}/../a.csv`, `upload:${id}/..`, 'upload:../../x/a.csv', `upload:${id}`, `upload:${id}/a%2Fb`]) {
      expect(() => store.resolve('nb-1', 'data', bad), bad).toThrow(/not an upload token/);
    }
    expect(() => store.resolve('nb-2', 'data', up.token)).toThrow(/no longer on the server/);
    expect(() => store.resolve('../nb-1', 'data', up.token)).toThrow(/not a notebook id/);
  });
});
