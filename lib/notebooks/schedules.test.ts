import { afterAll, describe, expect, it } from 'vitest';
import { stopSharedPostgres, testApp } from '../../test/api/harness';

afterAll(stopSharedPostgres);

const SCHEDULED = `id: every_minute
namespace: test.app
tasks:
  - id: tick
    type: io.kestra.plugin.core.log.Log
    message: "slot {{ trigger.date }}"
triggers:
  - id: minutely
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "* * * * *"
`;

describe('scheduled notebooks', () => {
  it('fire missed slots after the last evaluation, stored as executions of the notebook', async () => {
    const app = await testApp('sqlite');
    try {
      const { id } = await app.notebooks.create(SCHEDULED);
      const t0 = new Date('2030-01-01T10:00:30Z');
      expect(await app.scheduler.tick(t0)).toEqual([]); // first sight: from now on
      const started = await app.scheduler.tick(new Date('2030-01-01T10:02:10Z'));
      expect(started).toHaveLength(2);
      await app.engine.drain();
      await app.persister.idle();
      const executions = await app.runs.listForNotebook(id);
      expect(executions.map((e) => e.state)).toEqual(['SUCCESS', 'SUCCESS']);
      const messages = (await Promise.all(started.map((e) => app.runs.logs(e)))).flat().filter((l) => l.taskId === 'tick').map((l) => l.message);
      expect(messages.sort()).toEqual(['slot 2030-01-01T10:01:00Z', 'slot 2030-01-01T10:02:00Z'].map((m) => expect.stringContaining(m.slice(0, 21))));
    } finally {
      await app.close();
    }
  });
});
