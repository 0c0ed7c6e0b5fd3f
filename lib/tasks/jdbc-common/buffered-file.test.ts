import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BufferedFile } from './buffered-file';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buffered-file-'));
  dirs.push(dir);
  return path.join(dir, 'out.ion');
}

describe('BufferedFile', () => {
  it('writes every byte in order, small writes and writes larger than both buffers, while the caller reuses its own buffer', async () => {
    const file = tempFile();
    const out = await BufferedFile.create(file);
    const expected: Buffer[] = [];
    const reused = Buffer.alloc(9 << 20);
    // Sizes that end exactly on a 4 MiB buffer, cross one, and span several.
    for (const [i, size] of [1, 4096, (4 << 20) - 4097, 3, 9 << 20, 0, 12345, 5 << 20].entries()) {
      const bytes = reused.subarray(0, size).fill(97 + i);
      expected.push(Buffer.from(bytes));
      await out.write(bytes);
      reused.fill(0); // the file must hold what was written, not what the buffer holds later
    }
    await out.close();
    expect(fs.readFileSync(file).equals(Buffer.concat(expected))).toBe(true);
  });

  it('creates an empty file when nothing is written', async () => {
    const file = tempFile();
    await (await BufferedFile.create(file)).close();
    expect(fs.readFileSync(file)).toHaveLength(0);
  });

  // /dev/full takes an open but fails every write with ENOSPC: a disk that filled up.
  it.runIf(fs.existsSync('/dev/full'))('reports a failed write from a later call', async () => {
    const out = await BufferedFile.create('/dev/full');
    await expect(
      (async () => {
        await out.write(Buffer.alloc(9 << 20));
        await out.close();
      })(),
    ).rejects.toThrow(/ENOSPC/);
  });
});
