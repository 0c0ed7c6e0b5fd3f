/**
 * log.Fetch and the deprecated debug.Echo on Kestra's get-log*.yaml flows (kestra-io/kestra
 * core/src/test/resources/flows/valids/, FetchTest).
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { load } from 'ion-js';
import { createTestEngine } from '../../../test/support/engine';

const t = createTestEngine();
afterAll(() => t.close());

const flow = (id: string, fetch: string) => `
id: ${id}
namespace: io.kestra.tests
tasks:
  - type: io.kestra.plugin.core.debug.Echo
    id: task-1
    format: task 1
  - type: io.kestra.plugin.core.debug.Echo
    id: task-2
    format: task 2
    level: WARN
  - type: io.kestra.plugin.core.flow.Sleep
    id: sleep
    duration: PT0.01S
  - type: io.kestra.plugin.core.log.Fetch
    id: get-log-task
${fetch}`;

function readIon(uri: string): Record<string, unknown>[] {
  const text = fs.readFileSync(t.engine.storage.resolve(uri), 'utf8');
  return text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(JSON.stringify(load(line))) as Record<string, unknown>);
}

describe('log.Fetch', () => {
  it('stores the log lines of one task as Ion, counted in size (get-log-taskid.yaml)', async () => {
    const result = await t.run(flow('get-log-taskid', `    tasksId:\n      - task-1`));
    expect(result.state).toBe('SUCCESS');
    expect(result.taskRuns).toHaveLength(4);
    const out = result.outputs['get-log-task'] as { uri: string; size: number };
    expect(out.size).toBe(1);
    expect(out.uri).toMatch(/^kestra:\/\/\/.*get-log-task\.ion$/);
    expect(readIon(out.uri)).toEqual([
      expect.objectContaining({ namespace: 'io.kestra.tests', flowId: 'get-log-taskid', taskId: 'task-1', level: 'INFO', message: 'task 1', executionId: result.id }),
    ]);
  });

  it('fetches the current execution by default, or the one named by executionId, from the level up (get-log.yaml, get-log-executionid.yaml)', async () => {
    const all = await t.run(flow('get-log', ''));
    const byId = await t.run(flow('get-log-executionid', '    executionId: "{{execution.id}}"'));
    const messages = (r: typeof all) => readIon((r.outputs['get-log-task'] as { uri: string }).uri).map((l) => l.message);
    expect(messages(all)).toEqual(expect.arrayContaining(['task 1', 'task 2']));
    expect(messages(byId)).toEqual(messages(all).map((m) => String(m).replace(all.id, byId.id).replace('get-log ', 'get-log-executionid ')));
    const warn = await t.run(flow('get-log-warn', '    level: WARN'));
    expect(messages(warn)).toEqual(['task 2']);
  });

  it('finds another execution of the flow by its id, and nothing for an unknown one', async () => {
    const first = await t.run(flow('get-log-other', '    tasksId: [task-1]'));
    const second = await t.run(flow('get-log-other', `    executionId: "${first.id}"\n    tasksId: [task-1]`));
    // The first execution ended: its lines come from the stored logs, which this bare engine has none of.
    expect((second.outputs['get-log-task'] as { size: number }).size).toBe(0);
  });
});

describe('debug.Echo', () => {
  it('logs its format at its level, as log.Log does', async () => {
    const { id, done } = t.engine.start({ flow: t.flow(flow('echo', '    tasksId: [task-2]')) });
    const result = await done;
    expect(result.state).toBe('SUCCESS');
    expect(t.logsOf(id).filter((l) => l.taskId?.startsWith('task-')).map((l) => [l.taskId, l.level, l.message])).toEqual([
      ['task-1', 'INFO', 'task 1'],
      ['task-2', 'WARN', 'task 2'],
    ]);
  });
});
