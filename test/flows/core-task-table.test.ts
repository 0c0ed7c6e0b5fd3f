/**
 * docs/kestra-core-tasks.md says which of Kestra's core task types Flowbook runs: every type
 * it marks "runs" must be in the task catalog, every core type in the catalog must be in the
 * table as "runs", and every task type the repository's own tests and sample flows use must
 * run here (none may be "not supported locally").
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { allTaskDefinitions, getTaskDefinition } from '../../lib/tasks/registry';
import { parseFlow } from '../../lib/tasks/catalog';
import { SAMPLE_FLOWS_DIR, sampleFlowFiles } from '../support/sample-flows';

const root = path.resolve(import.meta.dirname, '../..');

function table(): Map<string, string> {
  const text = fs.readFileSync(path.join(root, 'docs/kestra-core-tasks.md'), 'utf8');
  const body = text.slice(text.indexOf('<!-- core-tasks:start -->'), text.indexOf('<!-- core-tasks:end -->'));
  const rows = new Map<string, string>();
  for (const line of body.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !cells[1].startsWith('io.kestra.')) continue;
    rows.set(cells[1], cells[2]);
  }
  return rows;
}

/** Task types named in the repository's tests, end-to-end specs and sample flows (triggers, conditions and runners are not tasks). */
function typesUsedInTests(): string[] {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => /(\.test\.tsx?|\.spec\.ts)$/.test(f) || /^(test|e2e)\/.*\.(ts|ya?ml)$/.test(f) || /^flows\/.*\.ya?ml$/.test(f))
    .filter((f) => fs.existsSync(path.join(root, f)) && f !== 'test/flows/core-task-table.test.ts');
  const found = new Set<string>();
  for (const f of files) {
    for (const m of fs.readFileSync(path.join(root, f), 'utf8').matchAll(/type:\s*["']?(io\.kestra\.(?:plugin\.core|core\.tasks)\.[A-Za-z.]*[A-Za-z])/g)) found.add(m[1]);
  }
  return [...found].filter((t) => !/\.(trigger|triggers|condition|conditions|runner|runners)\./.test(t)).sort();
}

describe("Kestra's core task types", () => {
  const rows = table();

  it('the table lists the core types it marks as running, all of them in the catalog', () => {
    expect(rows.size).toBeGreaterThan(50);
    const missing = [...rows].filter(([, status]) => status === 'runs').map(([type]) => type).filter((type) => !getTaskDefinition(type));
    expect(missing).toEqual([]);
  });

  it('every core type in the catalog is in the table as "runs"', () => {
    // `Outer$Inner` types are the internal task runs of a flowable (ForEachItem's split, subflows, merge), never written in a flow.
    const core = allTaskDefinitions().map((d) => d.type).filter((t) => t.startsWith('io.kestra.plugin.core.') && !t.includes('$'));
    expect(core.filter((t) => rows.get(t) !== 'runs')).toEqual([]);
  });

  it('every task type the tests and sample flows use runs in Flowbook', () => {
    const used = typesUsedInTests();
    expect(used.length).toBeGreaterThan(30);
    expect(used.filter((t) => !getTaskDefinition(t))).toEqual([]);
  });

  it('the sample flows read without a "not supported locally" warning', () => {
    for (const f of sampleFlowFiles()) {
      const parsed = parseFlow(fs.readFileSync(path.join(SAMPLE_FLOWS_DIR, f), 'utf8'));
      expect(parsed.issues.filter((i) => i.message.includes('not supported locally')).map((i) => `${f}: ${i.message}`)).toEqual([]);
    }
  });
});
