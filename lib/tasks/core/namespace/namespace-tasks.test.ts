/**
 * The namespace file tasks on the cases of Kestra's own tests and examples (kestra-io/kestra
 * core/src/main/java/io/kestra/plugin/core/namespace/UploadFiles.java, DownloadFiles.java,
 * DeleteFiles.java and their tests), and Java's glob syntax they match paths with.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine } from '../../../../test/support/engine';
import { filesDir } from '../namespace-files';
import { javaGlobToRegExp } from './java-glob';

const t = createTestEngine();
afterAll(() => t.close());

const nsFiles = (namespace: string) => {
  const root = filesDir(t.engine.storage, namespace);
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.relative(root, path.join(d.parentPath, d.name))).sort();
};

describe('Java globs', () => {
  it('`*` stays in a folder, `**` crosses folders, `{a,b}` and `[..]` as in sun.nio.fs.Globs', () => {
    const m = (glob: string, p: string) => javaGlobToRegExp(glob).test(p);
    expect(m('/**input.txt', '/a/b/input.txt')).toBe(true);
    expect(m('/*.py', '/scripts/main.py')).toBe(false);
    expect(m('/**.py', '/scripts/main.py')).toBe(true);
    expect(m('/scripts/*.{py,sql}', '/scripts/q.sql')).toBe(true);
    expect(m('/scripts/[a-c]?.txt', '/scripts/b1.txt')).toBe(true);
    expect(m('/scripts/[!a-c]?.txt', '/scripts/b1.txt')).toBe(false);
    expect(m('/a.b', '/axb')).toBe(false);
    expect(() => javaGlobToRegExp('/{a,b')).toThrow('a { is not closed');
  });
});

describe('namespace file tasks', () => {
  it('UploadFiles with a map renames into the namespace; DownloadFiles brings matching files back as URIs; DeleteFiles removes them', async () => {
    const r = await t.run(`id: upload
namespace: company.team
tasks:
  - id: script
    type: io.kestra.plugin.core.storage.Write
    content: print("hello from the namespace")
    extension: .py
  - id: data
    type: io.kestra.plugin.core.storage.Write
    content: "a,b"
  - id: upload
    type: io.kestra.plugin.core.namespace.UploadFiles
    namespace: tutorial
    files:
      /scripts/main.py: "{{ outputs.script.uri }}"
      /data/input.txt: "{{ outputs.data.uri }}"
      /data/old.upl: "{{ outputs.data.uri }}"
      /ignored.txt: kestra:///no/such/file.txt
  - id: download
    type: io.kestra.plugin.core.namespace.DownloadFiles
    namespace: tutorial
    files:
      - "**input.txt"
      - "/scripts/*.py"
  - id: delete
    type: io.kestra.plugin.core.namespace.DeleteFiles
    namespace: tutorial
    files: "**.upl"
`);
    expect(r.state).toBe('SUCCESS');
    expect(nsFiles('tutorial')).toEqual(['data/input.txt', 'scripts/main.py']);
    const files = (r.outputs.download as { files: Record<string, string> }).files;
    expect(Object.keys(files).sort()).toEqual(['/data/input.txt', '/scripts/main.py']);
    expect(fs.readFileSync(t.engine.storage.resolve(files['/scripts/main.py']), 'utf8')).toBe('print("hello from the namespace")');
  });

  it('UploadFiles with a list takes working-directory files by glob under `destination`, and a script then runs one through namespaceFiles', async () => {
    const r = await t.run(`id: upload_list
namespace: company.lists
tasks:
  - id: wd
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: make
        type: io.kestra.plugin.scripts.shell.Commands
        commands:
          - mkdir -p out && echo 'print(6 * 7)' > out/answer.py && echo skip > out/notes.md
      - id: upload
        type: io.kestra.plugin.core.namespace.UploadFiles
        destination: /scripts
        files:
          - "/out/*.py"
  - id: run
    type: io.kestra.plugin.scripts.shell.Commands
    namespaceFiles:
      enabled: true
    commands:
      - python3 scripts/out/answer.py
`);
    expect(r.state).toBe('SUCCESS');
    expect(nsFiles('company.lists')).toEqual(['scripts/out/answer.py']);
    expect(t.logsOf(r.id).map((l) => l.message)).toContain('42');
  });

  it('conflict ERROR fails on an existing file and SKIP keeps it; a path out of the namespace is refused', async () => {
    const flow = (conflict: string, target: string) => `id: conflict
namespace: company.conflicts
tasks:
  - id: v
    type: io.kestra.plugin.core.storage.Write
    content: "{{ execution.id }}"
  - id: upload
    type: io.kestra.plugin.core.namespace.UploadFiles
    conflict: ${conflict}
    files:
      ${JSON.stringify(target)}: "{{ outputs.v.uri }}"
`;
    const first = await t.run(flow('OVERWRITE', '/keep.txt'));
    expect(first.state).toBe('SUCCESS');
    const skipped = await t.run(flow('SKIP', '/keep.txt'));
    expect(skipped.state).toBe('SUCCESS');
    expect(fs.readFileSync(path.join(filesDir(t.engine.storage, 'company.conflicts'), 'keep.txt'), 'utf8')).toBe(first.id);
    const refused = await t.run(flow('ERROR', '/keep.txt'));
    expect(refused.state).toBe('FAILED');
    expect(t.logsOf(refused.id).map((l) => l.message).join('\n')).toContain('namespace file /keep.txt already exists (conflict: ERROR)');
    const escape = await t.run(flow('OVERWRITE', '/../../_kv/x.json'));
    expect(escape.state).toBe('FAILED');
    expect(t.logsOf(escape.id).map((l) => l.message).join('\n')).toContain('is not a file path inside the namespace');
  });
});
