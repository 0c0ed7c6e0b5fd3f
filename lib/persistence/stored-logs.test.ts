/**
 * log.Fetch of an execution that ended: its lines come from the stored logs (Kestra's Fetch
 * reads the log repository, core/.../plugin/core/log/Fetch.java).
 */
import { afterAll, expect, it } from 'vitest';
import { stopSharedPostgres, testApp } from '../../test/api/harness';
import { parseFlow } from '../tasks/catalog';

afterAll(stopSharedPostgres);

it('gives log.Fetch the stored lines of an execution that ended', async () => {
  const app = await testApp('sqlite');
  try {
    const { id: notebookId } = await app.notebooks.create(`id: talker
namespace: test.app
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: [first line, second line]
`);
    const { executionId } = await app.runs.start(notebookId, { mode: 'all' });
    await app.runs.settled(executionId);
    const reader = parseFlow(`id: talker
namespace: test.app
tasks:
  - id: fetch
    type: io.kestra.plugin.core.log.Fetch
    executionId: ${executionId}
    tasksId: [say]
`);
    const result = await app.engine.start({ flow: reader.flow! }).done;
    expect(result.state).toBe('SUCCESS');
    expect(result.outputs.fetch).toMatchObject({ size: 2 });
  } finally {
    await app.close();
  }
});
