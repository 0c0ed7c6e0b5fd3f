/**
 * A namespace file made through the API is what a flow runs: a WorkingDirectory with
 * `namespaceFiles: enabled: true` gets `scripts/hello.py` (created by the route, as the Files
 * panel does) copied into its directory, and a Python task runs it as a local process.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installApp } from '../../lib/server/app-holder';
import * as filesRoute from '../../app/api/namespaces/[namespace]/files/route';
import * as contentRoute from '../../app/api/namespaces/[namespace]/files/content/route';
import type { NamespaceFileContentDto } from '../../lib/contract';
import { testApp } from './harness';

let app: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  app = await testApp('sqlite');
  installApp(app);
});
afterAll(async () => {
  installApp(undefined);
  await app.close();
});

const FLOW = `id: runs_namespace_script
namespace: course.week2
tasks:
  - id: workdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    namespaceFiles:
      enabled: true
      include:
        - scripts/**
    tasks:
      - id: hello
        type: io.kestra.plugin.scripts.python.Commands
        taskRunner:
          type: io.kestra.plugin.core.runner.Process
        commands:
          - python3 scripts/hello.py
`;
const params = { params: Promise.resolve({ namespace: 'course.week2' }) };
const json = (method: string, url: string, body: unknown) => new Request(`http://127.0.0.1${url}`, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

async function runAndLog(notebookId: string): Promise<{ state: string; messages: string[] }> {
  const { executionId } = await app.runs.start(notebookId, { mode: 'all' });
  await app.runs.settled(executionId);
  const detail = await app.runs.detail(executionId);
  return { state: detail.execution.state, messages: (await app.runs.logs(executionId)).map((l) => l.message) };
}

it('runs a Python script created through the API, and the edited one on the next run', async () => {
  const created = await filesRoute.POST(
    json('POST', '/api/namespaces/course.week2/files', { path: 'scripts/hello.py', content: 'import platform\nprint("hello from a namespace file on Python " + platform.python_version())\n' }),
    params,
  );
  expect(created.status).toBe(201);
  const { version } = (await created.json()) as NamespaceFileContentDto;
  // A file outside the include glob stays out of the working directory.
  await app.namespaceFiles.create('course.week2', 'notes/todo.txt', 'not copied');

  const { id } = await app.notebooks.create(FLOW.replace('python3 scripts/hello.py', 'python3 scripts/hello.py && ls notes 2>&1 || echo "no notes folder"'));
  const first = await runAndLog(id);
  expect(first.state).toBe('SUCCESS');
  expect(first.messages).toContainEqual(expect.stringMatching(/^hello from a namespace file on Python 3\./));
  expect(first.messages).toContain('no notes folder');

  const saved = await contentRoute.PUT(json('PUT', '/api/namespaces/course.week2/files/content?path=scripts/hello.py', { content: 'print("edited in the Files panel")\n', version }), params);
  expect(saved.status).toBe(200);
  const second = await runAndLog(id);
  expect(second.state).toBe('SUCCESS');
  expect(second.messages).toContain('edited in the Files panel');
});

it('a script task with namespaceFiles of its own runs the same file', async () => {
  await app.namespaceFiles.create('course.scripts', 'scripts/hello.py', 'print("hello from a script task")\n');
  const { id } = await app.notebooks.create(`id: script_reads_namespace
namespace: course.scripts
tasks:
  - id: hello
    type: io.kestra.plugin.scripts.python.Commands
    namespaceFiles:
      enabled: true
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - python3 scripts/hello.py
`);
  const run = await runAndLog(id);
  expect(run.state).toBe('SUCCESS');
  expect(run.messages).toContain('hello from a script task');
});
