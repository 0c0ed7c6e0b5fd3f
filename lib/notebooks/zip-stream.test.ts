import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zipStream, type ZipEntry } from './zip-stream';

async function zip(entries: ZipEntry[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of zipStream(entries)) parts.push(part);
  return Buffer.concat(parts);
}

describe('zipStream', () => {
  it('writes a zip another tool reads back entry for entry (UTF-8 names, binary content, empty files)', async () => {
    const binary = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256));
    const bytes = await zip([
      { name: 'hello.yaml', content: Buffer.from('id: hello\n') },
      { name: '_files/company.team/scripts/héllo.py', content: Buffer.from('print("hé")\n') },
      { name: '_files/company.team/data.bin', content: binary },
      { name: '_files/company.team/empty.txt', content: Buffer.alloc(0) },
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-zip-'));
    try {
      const file = path.join(dir, 'out.zip');
      fs.writeFileSync(file, bytes);
      // Python's zipfile checks every CRC (testzip) and reads the names as UTF-8.
      const script = [
        'import hashlib, json, sys, zipfile',
        'z = zipfile.ZipFile(sys.argv[1])',
        'assert z.testzip() is None',
        'print(json.dumps({i.filename: [i.file_size, hashlib.sha256(z.read(i)).hexdigest()] for i in z.infolist()}))',
      ].join('\n');
      const read = JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as Record<string, [number, string]>;
      const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
      expect(read).toEqual({
        'hello.yaml': [10, sha(Buffer.from('id: hello\n'))],
        '_files/company.team/scripts/héllo.py': [Buffer.byteLength('print("hé")\n'), sha(Buffer.from('print("hé")\n'))],
        '_files/company.team/data.bin': [70_000, sha(binary)],
        '_files/company.team/empty.txt': [0, sha(Buffer.alloc(0))],
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is the same bytes for the same files', async () => {
    const entries = [{ name: 'a.yaml', content: Buffer.from('x') }];
    expect((await zip(entries)).equals(await zip(entries))).toBe(true);
  });
});
