/**
 * The app's "Export namespace" into a real git repository, and back: the layout is the one
 * Kestra's git tasks read (see lib/kestra/layout.test.ts for the documentation it follows),
 * each flow is what `flowbook export` prints, every commit names what changed, and importing
 * the repository (cloned elsewhere) gives back the same notebooks byte for byte.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../api/harness';
import { runCli } from '../support/cli';
import type { App } from '../../lib/server/app';

const HELLO = `# A flow with a comment that must survive
id: hello
namespace: company.team
description: Says hello.

inputs:
  - id: who
    type: STRING
    defaults: world

tasks:
  # %% [markdown]
  # The only cell.
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ inputs.who }}"   # trailing comment
`;

const REPORT = `id: report
namespace: company.team.sales
tasks:
  - id: total
    type: io.kestra.plugin.core.debug.Return
    format: "42"
`;

const OTHER = `id: elsewhere
namespace: company.other
tasks:
  - id: x
    type: io.kestra.plugin.core.debug.Return
    format: "x"
`;

type TestApp = App & { tmp: string };
let app: TestApp;
let work: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }).trim();
}

beforeAll(async () => {
  app = await testApp('sqlite');
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-layout-'));
});
afterAll(async () => {
  await app.close();
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(app.tmp, { recursive: true, force: true });
});

describe('Export namespace into a git repository', () => {
  it('writes the documented layout, commits it naming each flow, commits each later change, and imports back the same notebooks', async () => {
    const hello = await app.notebooks.create(HELLO);
    await app.notebooks.create(REPORT);
    await app.notebooks.create(OTHER);
    // A namespace file where fileURI('scripts/clean.py') points: kestra:///company/team/_files/scripts/clean.py.
    await app.kestra.namespaceFiles.write('company.team', 'scripts/clean.py', Buffer.from('print("clean")\n'));
    expect(fs.existsSync(path.join(app.tmp, 'storage/company/team/_files/scripts/clean.py'))).toBe(true);

    const repo = path.join(work, 'repo');
    const first = await app.kestra.exportToDir({ namespace: 'company.team', outDir: repo, git: true });
    expect(first.rootNamespace).toBe('company.team');
    expect(first.commit?.initialised).toBe(true);
    // Exactly the layout, committed: the root namespace's flows, its child's in a sub-folder, its files under _files.
    expect(git(repo, 'ls-files').split('\n')).toEqual(['_files/scripts/clean.py', '_flows/hello.yml', '_flows/sales/report.yml']);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    const message = git(repo, 'log', '-1', '--format=%B');
    expect(message).toContain('Flowbook export of company.team: add 2 flows and 1 namespace file');
    expect(message).toContain('add flow company.team.hello (_flows/hello.yml)');
    expect(message).toContain('add flow company.team.sales.report (_flows/sales/report.yml)');
    expect(message).toContain('add namespace file scripts/clean.py of company.team');
    expect(message).not.toContain('elsewhere');

    // Each flow byte for byte what `flowbook export` prints for the notebook's YAML.
    const helloFile = path.join(work, 'hello.yaml');
    fs.writeFileSync(helloFile, HELLO);
    const printed = await runCli(['export', helloFile]);
    expect(printed.code).toBe(0);
    expect(fs.readFileSync(path.join(repo, '_flows/hello.yml'), 'utf8')).toBe(printed.stdout);
    expect(fs.readFileSync(path.join(repo, '_flows/hello.yml'), 'utf8')).toBe(HELLO);

    // Nothing changed: nothing to commit.
    const again = await app.kestra.exportToDir({ namespace: 'company.team', outDir: repo, git: true });
    expect(again.commit).toBeUndefined();
    expect(again.files.every((f) => f.change === 'unchanged')).toBe(true);

    // An edit in the notebook is one "update" commit.
    const edited = HELLO.replace('hello {{ inputs.who }}', 'hi {{ inputs.who }}');
    const nb = await app.notebooks.get(hello.id);
    await app.notebooks.update(hello.id, edited, nb.version);
    const second = await app.kestra.exportToDir({ namespace: 'company.team', outDir: repo, git: true });
    expect(second.files.find((f) => f.path === '_flows/hello.yml')?.change).toBe('updated');
    expect(git(repo, 'log', '-1', '--format=%s')).toBe('Flowbook export of company.team: update flow company.team.hello (_flows/hello.yml)');
    expect(git(repo, 'show', '--format=', 'HEAD', '--', '_flows/hello.yml')).toContain('+    message: "hi {{ inputs.who }}"   # trailing comment');

    // A notebook deleted in the app leaves the namespace: its file goes, and the commit says so.
    const report = (await app.notebooks.list()).find((n) => n.flowId === 'report');
    await app.notebooks.remove(report?.id ?? '');
    const third = await app.kestra.exportToDir({ namespace: 'company.team', outDir: repo, git: true });
    expect(third.files.find((f) => f.path === '_flows/sales/report.yml')?.change).toBe('removed');
    expect(fs.existsSync(path.join(repo, '_flows/sales'))).toBe(false);
    expect(git(repo, 'log', '-1', '--format=%s')).toBe('Flowbook export of company.team: remove flow company.team.sales.report (_flows/sales/report.yml)');
    expect(git(repo, 'rev-list', '--count', 'HEAD')).toBe('3');

    // The reverse, from a clone: a fresh Flowbook gets the same notebooks, byte for byte.
    const clone = path.join(work, 'clone');
    git(work, 'clone', '-q', repo, clone);
    const fresh = (await testApp('sqlite')) as TestApp;
    try {
      const imported = await fresh.kestra.importFromDir({ dir: clone });
      expect(imported.rootNamespace).toBe('company.team');
      expect(imported.warnings).toEqual([]);
      expect(imported.notebooks.map((n) => [n.path, n.change])).toEqual([['_flows/hello.yml', 'created']]);
      const [summary] = await fresh.notebooks.list();
      expect((await fresh.notebooks.get(summary.id)).yaml).toBe(edited);
      expect((await fresh.kestra.namespaceFiles.list('company.team')).map((f) => [f.path, f.content.toString()])).toEqual([['scripts/clean.py', 'print("clean")\n']]);
      // Exported again from the copy: the same bytes, so nothing to commit in the clone.
      await fresh.kestra.exportToDir({ namespace: 'company.team', outDir: clone, git: true });
      expect(git(clone, 'status', '--porcelain')).toBe('');
      expect(git(clone, 'rev-list', '--count', 'HEAD')).toBe('3');
      // Imported twice: nothing changes.
      const twice = await fresh.kestra.importFromDir({ dir: clone });
      expect(twice.notebooks.map((n) => n.change)).toEqual(['unchanged']);
      expect(twice.files.map((f) => f.change)).toEqual(['unchanged']);
    } finally {
      await fresh.close();
      fs.rmSync(fresh.tmp, { recursive: true, force: true });
    }
  });

  it('commits only the layout inside a repository that holds other work, leaving that work as it was', async () => {
    const repo = path.join(work, 'mixed');
    fs.mkdirSync(repo);
    git(repo, 'init', '-q');
    fs.writeFileSync(path.join(repo, 'README.md'), 'mine\n');
    git(repo, 'add', 'README.md');
    await app.notebooks.create(OTHER);
    const result = await app.kestra.exportToDir({ namespace: 'company.other', outDir: repo, git: true });
    expect(result.commit?.initialised).toBe(false);
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD').split('\n')).toEqual(['_flows/elsewhere.yml']);
    // The user's staged file is still staged, not committed.
    expect(git(repo, 'status', '--porcelain')).toBe('A  README.md');
  });

  it('exports one copy of a flow that two notebooks hold (the one saved last) and says which was left out', async () => {
    const first = await app.notebooks.create(OTHER.replace('company.other', 'company.dup'));
    const copy = await app.notebooks.duplicate(first.id);
    const edited = OTHER.replace('company.other', 'company.dup').replace('format: "x"', 'format: "copy"');
    await app.notebooks.update(copy.id, edited, (await app.notebooks.get(copy.id)).version);
    const result = await app.kestra.exportToDir({ namespace: 'company.dup', outDir: path.join(work, 'dup') });
    expect(fs.readFileSync(path.join(work, 'dup/_flows/elsewhere.yml'), 'utf8')).toBe(edited);
    expect(result.skipped).toEqual([{ namespace: 'company.dup', name: 'elsewhere', reason: 'notebook "elsewhere" is another copy of flow company.dup.elsewhere; the one saved last is used' }]);
  });

  it('imports a layout as PushFlows writes it, and says when a flow\'s folder names another namespace than its YAML', async () => {
    const dir = path.join(work, 'pushed');
    fs.mkdirSync(path.join(dir, '_flows/marketing'), { recursive: true });
    fs.writeFileSync(path.join(dir, '_flows/flow1.yml'), 'id: flow1\nnamespace: dev\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: one\n');
    fs.writeFileSync(path.join(dir, '_flows/marketing/flow3.yml'), 'id: flow3\nnamespace: dev.marketing\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: three\n');
    fs.writeFileSync(path.join(dir, '_flows/marketing/stray.yml'), 'id: stray\nnamespace: dev\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: stray\n');
    const result = await app.kestra.importFromDir({ dir, namespace: 'dev' });
    expect(result.notebooks.map((n) => `${n.namespace}.${n.flowId}:${n.change}`).sort()).toEqual(['dev.flow1:created', 'dev.marketing.flow3:created', 'dev.stray:created']);
    expect(result.warnings).toEqual(['_flows/marketing/stray.yml declares namespace dev, but its folder stands for dev.marketing: SyncFlows would put it in dev.marketing']);
    await expect(app.kestra.importFromDir({ dir: path.join(work, 'nothing-here') })).rejects.toThrow(/not a directory/);
    await expect(app.kestra.importFromDir({ dir: 'relative/path' })).rejects.toThrow(/absolute/);
  });
});
