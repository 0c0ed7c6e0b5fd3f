/**
 * The storage tasks on Kestra's own cases (kestra-io/kestra
 * core/src/test/java/io/kestra/plugin/core/storage/: WriteTest, SizeTest, DeleteTest,
 * ConcatTest, ReverseTest, FilterItemsTest, DeduplicateItemsTest), run as flows.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine } from '../../../../test/support/engine';

const t = createTestEngine();
afterAll(() => t.close());

const read = (uri: unknown) => fs.readFileSync(t.engine.storage.resolve(String(uri)), 'utf8');
const flow = (id: string, tasks: string) => `id: ${id}\nnamespace: io.kestra.tests\ntasks:\n${tasks}`;

/** A Write task holding Ion items, one a line (FilterItemsTest's key/value file). */
const items = (lines: string[]) => `  - id: items
    type: io.kestra.plugin.core.storage.Write
    extension: .ion
    content: ${JSON.stringify(lines.join('\n') + '\n')}
`;

describe('storage tasks', () => {
  it('Write stores the rendered content with its extension; Size reads its size; Delete removes it once', async () => {
    const r = await t.run(
      flow(
        'write-size-delete',
        `  - id: write
    type: io.kestra.plugin.core.storage.Write
    content: "Hello {{ flow.id }}"
    extension: .txt
  - id: size
    type: io.kestra.plugin.core.storage.Size
    uri: "{{ outputs.write.uri }}"
  - id: delete
    type: io.kestra.plugin.core.storage.Delete
    uri: "{{ outputs.write.uri }}"
  - id: again
    type: io.kestra.plugin.core.storage.Delete
    uri: "{{ outputs.write.uri }}"
`,
      ),
    );
    expect(r.state).toBe('SUCCESS');
    const uri = (r.outputs.write as { uri: string }).uri;
    expect(uri).toMatch(/^kestra:\/\/\/.*\.txt$/);
    expect(r.outputs.size).toEqual({ size: 'Hello write-size-delete'.length });
    expect(r.outputs.delete).toEqual({ uri, deleted: true });
    expect(r.outputs.again).toEqual({ uri, deleted: false });
    expect(fs.existsSync(t.engine.storage.resolve(uri))).toBe(false);
  });

  it('Delete with errorOnMissing fails on a missing file, naming it (DeleteTest)', async () => {
    const r = await t.run(
      flow(
        'delete-missing',
        `  - id: delete
    type: io.kestra.plugin.core.storage.Delete
    uri: kestra:///io/kestra/tests/nothing/here.txt
    errorOnMissing: true
`,
      ),
    );
    expect(r.state).toBe('FAILED');
    expect(t.logsOf(r.id).map((l) => l.message).join('\n')).toContain("Unable to find file 'kestra:///io/kestra/tests/nothing/here.txt'");
  });

  it('Concat writes each file followed by the separator, from a list or a JSON list (ConcatTest)', async () => {
    const r = await t.run(
      flow(
        'concat',
        `  - id: a
    type: io.kestra.plugin.core.storage.Write
    content: "one"
  - id: b
    type: io.kestra.plugin.core.storage.Write
    content: "two"
  - id: list
    type: io.kestra.plugin.core.storage.Concat
    separator: "\\n"
    extension: .yml
    files:
      - "{{ outputs.a.uri }}"
      - "{{ outputs.b.uri }}"
  - id: json
    type: io.kestra.plugin.core.storage.Concat
    files: '["{{ outputs.b.uri }}", "{{ outputs.a.uri }}"]'
`,
      ),
    );
    expect(r.state).toBe('SUCCESS');
    const list = (r.outputs.list as { uri: string }).uri;
    expect(list).toMatch(/\.yml$/);
    expect(read(list)).toBe('one\ntwo\n');
    expect(read((r.outputs.json as { uri: string }).uri)).toBe('twoone');
  });

  it('Reverse writes the lines last first, keeping the extension (ReverseTest: "1\\n2\\n3\\n" becomes "3\\n2\\n1\\n")', async () => {
    const r = await t.run(
      flow(
        'reverse',
        `  - id: numbers
    type: io.kestra.plugin.core.storage.Write
    content: "1\\n2\\n3\\n"
    extension: .yml
  - id: reverse
    type: io.kestra.plugin.core.storage.Reverse
    from: "{{ outputs.numbers.uri }}"
`,
      ),
    );
    expect(r.state).toBe('SUCCESS');
    const uri = (r.outputs.reverse as { uri: string }).uri;
    expect(uri).toMatch(/\.yml$/);
    expect(read(uri)).toBe('3\n2\n1\n');
  });

  const valid = ['{key:"k1",value:1}', '{key:"k2",value:2}', '{key:"k3",value:3}', '{key:"k4",value:4}'];
  const invalid = ['{key:"k1",value:1}', '{key:"k2",value:"dummy"}', '{key:"k3",value:3}', '{key:"k4",value:4}'];
  const filter = (lines: string[], extra: string) =>
    t.run(
      flow(
        'filter-items',
        `${items(lines)}  - id: filter
    type: io.kestra.plugin.core.storage.FilterItems
    from: "{{ outputs.items.uri }}"
    filterCondition: " {{ value % 2 == 0 }} "
${extra}`,
      ),
    );

  it('FilterItems keeps (INCLUDE) or drops (EXCLUDE) the matching items, counting both (FilterItemsTest)', async () => {
    const include = await filter(valid, '    filterType: INCLUDE\n');
    expect(include.state).toBe('SUCCESS');
    const inc = include.outputs.filter as { uri: string; processedItemsTotal: number; droppedItemsTotal: number };
    expect([inc.processedItemsTotal, inc.droppedItemsTotal]).toEqual([4, 2]);
    expect(read(inc.uri)).toBe(`${valid[1]}\n${valid[3]}\n`);

    const exclude = await filter(valid, '    filterType: EXCLUDE\n');
    const exc = exclude.outputs.filter as { uri: string; droppedItemsTotal: number };
    expect(exc.droppedItemsTotal).toBe(2);
    expect(read(exc.uri)).toBe(`${valid[0]}\n${valid[2]}\n`);
  });

  it('FilterItems on an item the condition cannot evaluate: FAIL fails, INCLUDE keeps it, EXCLUDE drops it (FilterItemsTest)', async () => {
    const failed = await filter(invalid, '    errorOrNullBehavior: FAIL\n');
    expect(failed.state).toBe('FAILED');
    expect(t.logsOf(failed.id).map((l) => l.message).join('\n')).toContain('filterCondition failed on item 2');

    const included = await filter(invalid, '    errorOrNullBehavior: INCLUDE\n');
    const inc = included.outputs.filter as { uri: string; droppedItemsTotal: number };
    expect(inc.droppedItemsTotal).toBe(2);
    expect(read(inc.uri)).toBe(`${invalid[1]}\n${invalid[3]}\n`);

    const excluded = await filter(invalid, '    errorOrNullBehavior: EXCLUDE\n');
    const exc = excluded.outputs.filter as { uri: string; droppedItemsTotal: number };
    expect(exc.droppedItemsTotal).toBe(3);
    expect(read(exc.uri)).toBe(`${invalid[3]}\n`);
  });

  it('DeduplicateItems keeps the last item of each key, in file order (DeduplicateItemsTest)', async () => {
    const r = await t.run(
      flow(
        'dedup',
        `${items(['{id:1,email:"kelly@example.com",n:1}', '{id:2,email:"lee@example.net",n:1}', '{id:3,email:"kelly@example.com",n:2}', '{id:4,email:"jess@example.com",n:1}', '{id:5,email:"jess@example.com",n:2}'])}  - id: dedup
    type: io.kestra.plugin.core.storage.DeduplicateItems
    from: "{{ outputs.items.uri }}"
    expr: "{{ email }}"
`,
      ),
    );
    expect(r.state).toBe('SUCCESS');
    const out = r.outputs.dedup as { uri: string; numKeys: number; processedItemsTotal: number; droppedItemsTotal: number };
    expect([out.numKeys, out.processedItemsTotal, out.droppedItemsTotal]).toEqual([3, 5, 2]);
    expect(read(out.uri)).toBe('{id:2,email:"lee@example.net",n:1}\n{id:3,email:"kelly@example.com",n:2}\n{id:5,email:"jess@example.com",n:2}\n');
  });

  it('a file that is not an internal storage URI is refused with the task and property named', async () => {
    const r = await t.run(
      flow(
        'bad-uri',
        `  - id: size
    type: io.kestra.plugin.core.storage.Size
    uri: /etc/passwd
`,
      ),
    );
    expect(r.state).toBe('FAILED');
    expect(t.logsOf(r.id).map((l) => l.message).join('\n')).toContain('task "size" uri: "/etc/passwd" is not a kestra:// internal storage URI');
  });
});
