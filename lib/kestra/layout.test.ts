/**
 * The git layout against Kestra's documentation of it:
 * - SyncFlows, `targetNamespace` (kestra-io/plugin-git src/main/java/io/kestra/plugin/git/SyncFlows.java,
 *   rendered at kestra.io/plugins/plugin-git/io.kestra.plugin.git.syncflows): with
 *   `includeChildNamespaces: true`, `_flows/flow1.yml` is the target namespace,
 *   `_flows/marketing/flow3.yml` its child `.marketing`, `_flows/marketing/crm/flow5.yml` `.marketing.crm`;
 *   `gitDirectory` defaults to `_flows` "equivalent to the default gitDirectory of the PushFlows task".
 * - PushFlows (PushFlows.java): each flow is written to `<gitDirectory>/<child namespace folders>/<id>.yml`.
 * - SyncNamespaceFiles / PushNamespaceFiles (SyncNamespaceFiles.java): `gitDirectory` defaults to `_files`,
 *   one namespace per task.
 */
import { describe, expect, it } from 'vitest';
import { FILES_DIR, FLOWS_DIR, LayoutError, commonNamespace, flowLocation, flowPath, planLayout, rootNamespace } from './layout';
import { diffHunks, diffLines } from './diff';
import { SseParser, type SseEvent } from './sse';

describe('the layout of Kestra git sync', () => {
  it('places flows as the SyncFlows targetNamespace table shows, with PushFlows names', () => {
    // The documented table, with targetNamespace prod.
    expect(flowPath('prod', 'prod', 'flow1')).toBe('_flows/flow1.yml');
    expect(flowPath('prod', 'prod.marketing', 'flow3')).toBe('_flows/marketing/flow3.yml');
    expect(flowPath('prod', 'prod.marketing.crm', 'flow5')).toBe('_flows/marketing/crm/flow5.yml');
    expect(FLOWS_DIR).toBe('_flows');
    expect(FILES_DIR).toBe('_files');
  });

  it('reads a path back as SyncFlows does: folders under _flows become child namespaces', () => {
    expect(flowLocation('prod', '_flows/flow1.yml')).toEqual({ namespace: 'prod', fileId: 'flow1' });
    expect(flowLocation('prod', '_flows/marketing/crm/flow5.yml')).toEqual({ namespace: 'prod.marketing.crm', fileId: 'flow5' });
    expect(flowLocation('prod', '_flows/marketing/flow4.yaml')).toEqual({ namespace: 'prod.marketing', fileId: 'flow4' });
    expect(flowLocation('prod', '_flows/.kestraignore')).toBeUndefined();
    expect(flowLocation('prod', '_files/a.yml')).toBeUndefined();
  });

  it('takes the namespace all flows share as the root, or the one asked for', () => {
    expect(commonNamespace(['company.team', 'company.team.a', 'company.team.b.c'])).toBe('company.team');
    expect(commonNamespace(['company.team', 'company.other'])).toBe('company');
    expect(rootNamespace(['zoomcamp', 'zoomcamp'])).toBe('zoomcamp');
    expect(rootNamespace(['company.team.a'], 'company')).toBe('company');
    expect(() => rootNamespace(['a.x', 'b.y'])).toThrow(/no common parent/);
    expect(() => rootNamespace(['other'], 'company')).toThrow(LayoutError);
    // "company.teams" is not a child of "company.team": whole segments only.
    expect(commonNamespace(['company.team', 'company.teams'])).toBe('company');
  });

  it('plans flows byte for byte and only the root namespace\'s files, reporting the others', () => {
    const source = 'id: hello\nnamespace: company.team\n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi # kept\n';
    const { entries, skipped } = planLayout(
      'company.team',
      [
        { namespace: 'company.team', id: 'hello', source },
        { namespace: 'company.team.sales', id: 'report', source: 'x' },
      ],
      [
        { namespace: 'company.team', path: 'scripts/clean.py', content: Buffer.from('print(1)\n') },
        { namespace: 'company.team.sales', path: 'q.sql', content: Buffer.from('select 1') },
      ],
    );
    expect(entries.map((e) => e.path)).toEqual(['_files/scripts/clean.py', '_flows/hello.yml', '_flows/sales/report.yml']);
    expect(entries.find((e) => e.name === 'hello')?.content.toString('utf8')).toBe(source);
    expect(skipped).toEqual([expect.objectContaining({ namespace: 'company.team.sales', name: 'q.sql' })]);
  });

  it('refuses names that would climb out of the folder, and two flows on one path', () => {
    expect(() => flowPath('a', 'a', '..')).toThrow(LayoutError);
    expect(() => planLayout('a', [], [{ namespace: 'a', path: '../../etc/passwd', content: Buffer.from('') }])).toThrow(LayoutError);
    expect(() =>
      planLayout('a', [
        { namespace: 'a', id: 'x', source: '1' },
        { namespace: 'a', id: 'x', source: '2' },
      ]),
    ).toThrow(/both be written/);
  });
});

describe('the diff shown before a deploy', () => {
  it('keeps unchanged lines, and cuts hunks with three lines of context as git does', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const after = before.replace('line 5\n', 'line five\n').replace('line 18\n', 'line 18\nline 18b\n');
    const hunks = diffHunks(before, after);
    expect(hunks).toHaveLength(2);
    expect(hunks[0]).toMatchObject({ oldStart: 2, newStart: 2 });
    expect(hunks[0].lines.map((l) => `${l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' '}${l.text}`)).toEqual([' line 2', ' line 3', ' line 4', '-line 5', '+line five', ' line 6', ' line 7', ' line 8']);
    expect(hunks[1].lines.filter((l) => l.kind === 'add').map((l) => l.text)).toEqual(['line 18b']);
    expect(diffHunks(before, before)).toEqual([]);
  });

  it('shows a new flow as every line added', () => {
    const lines = diffLines('', 'a\nb\n');
    expect(lines).toEqual([
      { kind: 'add', text: 'a', newLine: 1 },
      { kind: 'add', text: 'b', newLine: 2 },
    ]);
    expect(diffHunks('', 'a\nb\n')[0]).toMatchObject({ oldStart: 1, newStart: 1 });
  });
});

describe('server-sent events (the format of Kestra\'s follow endpoints)', () => {
  it('splits events on empty lines, across chunk boundaries and line endings', () => {
    const seen: SseEvent[] = [];
    const p = new SseParser((e) => seen.push(e));
    p.push('id: start\ndata: {}\n\nid: progr');
    p.push('ess\r\ndata: {"message":"a"}\r\n\r\n: a comment\ndata: line1\ndata: line2\n\n');
    p.push('data: unterminated');
    p.end();
    expect(seen).toEqual([
      { id: 'start', event: undefined, data: '{}' },
      { id: 'progress', event: undefined, data: '{"message":"a"}' },
      { id: 'progress', event: undefined, data: 'line1\nline2' },
    ]);
  });
});
