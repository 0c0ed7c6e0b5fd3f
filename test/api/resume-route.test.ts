/**
 * `POST /api/executions/<id>/resume`, called as Next calls it, against a real app on SQLite:
 * Kestra's resume API (webserver ExecutionController `resume`, ExecutionService.resume and
 * validateForResume): the paused task goes on with its onResume inputs, a bad one is refused
 * naming the input, and an execution that is not paused cannot be resumed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installApp } from '../../lib/server/app-holder';
import type { App } from '../../lib/server/app';
import type { ApiError } from '../../lib/contract';
import { testApp } from './harness';
import * as resume from '../../app/api/executions/[id]/resume/route';
import * as uploads from '../../app/api/notebooks/[id]/uploads/route';

let app: App;
beforeAll(async () => {
  app = await testApp('sqlite');
  installApp(app);
});
afterAll(async () => {
  installApp(undefined);
  await app.close();
});

const FLOW = `id: approve
namespace: test.app
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: count
        type: INT
  - id: said
    type: io.kestra.plugin.core.log.Log
    message: "count is {{ outputs.wait.onResume.count }}"
`;

const post = (id: string, body: string) =>
  resume.POST(new Request(`http://127.0.0.1:3000/api/executions/${id}/resume`, { method: 'POST', body, headers: { 'content-type': 'application/json' } }), { params: Promise.resolve({ id }) });

describe('POST /api/executions/<id>/resume', () => {
  it('refuses a wrong onResume value (422, naming the input), resumes with a good one, then answers 409', async () => {
    const { id: notebookId } = await app.notebooks.create(FLOW);
    const { executionId } = await app.runs.start(notebookId, { mode: 'all' });
    while (app.engine.pausedTaskRun(executionId) === undefined) await new Promise((r) => setTimeout(r, 20));
    await app.persister.idle();

    const bad = await post(executionId, JSON.stringify({ inputs: { count: 'many' } }));
    expect(bad.status).toBe(422);
    expect((await bad.json()) as ApiError).toMatchObject({ error: 'input "count": value: expected an integer, got "many"', inputId: 'count' });

    const unknownField = await post(executionId, JSON.stringify({ values: {} }));
    expect(unknownField.status).toBe(400);

    const ok = await post(executionId, JSON.stringify({ inputs: { count: '7' } }));
    expect(ok.status).toBe(200);
    await app.runs.settled(executionId);
    expect((await app.runs.logs(executionId)).map((l) => l.message)).toContain('count is 7');
    expect((await app.runs.detail(executionId)).execution.state).toBe('SUCCESS');

    const again = await post(executionId, JSON.stringify({ inputs: { count: 1 } }));
    expect(again.status).toBe(409);
    expect(((await again.json()) as ApiError).error).toBe(`execution ${executionId} is SUCCESS, not PAUSED: there is nothing to resume`);
  });

  it('takes a FILE onResume input as an upload of the page, as a FILE flow input, and refuses a path on the server', async () => {
    const { id: notebookId } = await app.notebooks.create(`id: approve_file
namespace: test.app
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: evidence
        type: FILE
  - id: read
    type: io.kestra.plugin.core.log.Log
    message: "evidence says {{ read(outputs.wait.onResume.evidence) | trim }}"
`);
    const { executionId } = await app.runs.start(notebookId, { mode: 'all' });
    while (app.engine.pausedTaskRun(executionId) === undefined) await new Promise((r) => setTimeout(r, 20));

    const path = await post(executionId, JSON.stringify({ inputs: { evidence: '/etc/passwd' } }));
    expect(path.status).toBe(422);
    expect((await path.json()) as ApiError).toMatchObject({ error: 'input evidence: upload the file; a path on the server is not accepted here', inputId: 'evidence' });

    const uploaded = await uploads.POST(
      new Request(`http://127.0.0.1:3000/api/notebooks/${notebookId}/uploads?name=signed.txt`, { method: 'POST', body: 'approved by the board\n' }),
      { params: Promise.resolve({ id: notebookId }) },
    );
    expect(uploaded.status).toBe(201);
    const { token } = (await uploaded.json()) as { token: string };
    const ok = await post(executionId, JSON.stringify({ inputs: { evidence: token } }));
    expect(ok.status).toBe(200);
    await app.runs.settled(executionId);
    const messages = (await app.runs.logs(executionId)).map((l) => l.message);
    expect(messages, messages.join('\n')).toContain('evidence says approved by the board');
  });

  it('answers 404 for an execution that does not exist', async () => {
    expect((await post('nope', '{}')).status).toBe(404);
  });
});
