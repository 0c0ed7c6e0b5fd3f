/**
 * storage.Split on the cases of Kestra's SplitTest (kestra-io/kestra
 * core/src/test/java/io/kestra/plugin/core/storage/SplitTest.java): lines of 20 characters,
 * cut into 8 partitions, 10 rows each, or about 1KB each (251 files for 12,288 lines).
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine } from '../../../../test/support/engine';

const t = createTestEngine();
afterAll(() => t.close());

const content = (count: number) => Array.from({ length: count }, (_, i) => String(i).padStart(20)).join('\n') + '\n';

async function split(count: number, rule: string) {
  const from = `kestra:///file/storage/get-${count}.yml`;
  await t.engine.storage.putText(from, content(count));
  const r = await t.run(`id: split
namespace: io.kestra.tests
tasks:
  - id: split
    type: io.kestra.plugin.core.storage.Split
    from: ${from}
    ${rule}
`);
  const uris = r.state === 'SUCCESS' ? (r.outputs.split as { uris: string[] }).uris : [];
  return { r, uris, all: uris.map((u) => fs.readFileSync(t.engine.storage.resolve(u), 'utf8')).join('') };
}

describe('storage.Split', () => {
  it('partitions: 8 files with the extension of the source, every line kept', async () => {
    const { uris, all } = await split(1000, 'partitions: 8');
    expect(uris).toHaveLength(8);
    expect(uris[0]).toMatch(/\.yml$/);
    expect(all.split('\n').length - 1).toBe(1000);
  });

  it('rows: 100 files of 10 lines, in order', async () => {
    const { uris, all } = await split(1000, 'rows: 10');
    expect(uris).toHaveLength(100);
    expect(all).toBe(content(1000));
  });

  it('bytes: 251 files of about 1KB, in order', async () => {
    const { uris, all } = await split(12288, 'bytes: 1KB');
    expect(uris).toHaveLength(251);
    expect(all).toBe(content(12288));
  });

  it('without a rule, or with a bad size, fails saying which property', async () => {
    const none = await split(10, '');
    expect(none.r.state).toBe('FAILED');
    expect(t.logsOf(none.r.id).map((l) => l.message).join('\n')).toContain('set one of rows, bytes, partitions or regexPattern');
    const bad = await split(10, 'bytes: lots');
    expect(bad.r.state).toBe('FAILED');
    expect(t.logsOf(bad.r.id).map((l) => l.message).join('\n')).toContain(`task "split" bytes: Invalid size with value 'lots'`);
  });
});
