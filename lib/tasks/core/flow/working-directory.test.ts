/**
 * WorkingDirectory and LocalFiles on Kestra's own test flows (kestra-io/kestra
 * core/src/test/resources/flows/valids/working-directory*.y*ml) with what WorkingDirectoryTest checks.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEngine, statesOf } from '../../../../test/support/engine';

const t = createTestEngine();
afterAll(() => t.close());

const read = (uri: unknown) => fs.readFileSync(t.engine.storage.resolve(String(uri)), 'utf8');

describe('WorkingDirectory', () => {
  const workingDirectory = `
id: working-directory
namespace: io.kestra.tests
inputs:
  - id: failed
    type: STRING
tasks:
  - id: worker
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: first
        type: io.kestra.plugin.core.storage.LocalFiles
        inputs:
          out/stay.txt: "{{ inputs.failed == 'true' ? ko: taskrun.id }}"
      - id: second
        type: io.kestra.plugin.core.storage.LocalFiles
        outputs:
          - out/*
      - id: disabled
        type: io.kestra.plugin.core.debug.Return
        disabled: true
    errors:
      - id: error-t1
        type: io.kestra.plugin.core.debug.Return
        format: "Error Trigger ! {{task.id}}"
  - id: 2_end
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.second.uris['out/stay.txt'] }}"
`;

  it('shares one directory: a file the first task writes is there for the second (working-directory.yaml, WorkingDirectoryTest#success)', async () => {
    const result = await t.run(workingDirectory, { inputs: { failed: 'false' } });
    expect(result.state).toBe('SUCCESS');
    expect(result.taskRuns).toHaveLength(4);
    const uri = (result.outputs['2_end'] as { value: string }).value;
    expect(uri).toMatch(/^kestra:\/\/\//);
    // Inside a WorkingDirectory, `taskrun` is the WorkingDirectory's task run, as Kestra's worker renders it.
    expect(read(uri)).toBe(result.taskRuns.find((tr) => tr.taskId === 'worker')?.id);
  });

  it("runs its own errors when a task fails and stops there (WorkingDirectoryTest#failed)", async () => {
    const result = await t.run(workingDirectory, { inputs: { failed: 'true' } });
    expect(result.state).toBe('FAILED');
    expect(result.taskRuns).toHaveLength(3);
    expect(statesOf(result)).toEqual({ worker: 'FAILED', first: 'FAILED', 'error-t1': 'SUCCESS' });
  });

  it('writes inputFiles before its tasks and uploads outputFiles after them (working-directory-inputs.yml, working-directory-outputs.yml)', async () => {
    const inputs = await t.run(`
id: working-directory-inputs
namespace: io.kestra.tests
tasks:
  - id: workingDir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    inputFiles:
      input.txt: Hello World
    tasks:
      - id: inputFiles
        type: io.kestra.plugin.core.storage.LocalFiles
        outputs:
          - input.txt
`);
    expect(inputs.state).toBe('SUCCESS');
    const uris = (inputs.outputs.inputFiles as { uris: Record<string, string> }).uris;
    expect(uris['input.txt']).toMatch(/input\.txt$/);
    expect(read(uris['input.txt'])).toBe('Hello World');

    const outputs = await t.run(`
id: working-directory-outputs
namespace: io.kestra.tests
tasks:
  - id: workingDir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    outputFiles:
      - output.txt
    tasks:
      - id: outputFiles
        type: io.kestra.plugin.core.storage.LocalFiles
        inputs:
          output.txt: "Hello World"
`);
    expect(outputs.taskRuns).toHaveLength(2);
    const files = (outputs.outputs.workingDir as { outputFiles: Record<string, string> }).outputFiles;
    expect(read(files['output.txt'])).toBe('Hello World');
  });

  it('restores its cache on the next execution (working-directory-cache.yml, WorkingDirectoryTest#cache)', async () => {
    const yaml = `
id: working-directory-cache
namespace: io.kestra.tests
tasks:
  - id: workingDir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    cache:
      ttl: PT5m
      patterns:
        - "*.txt"
    tasks:
      - id: exists
        type: io.kestra.plugin.core.storage.LocalFiles
        outputs:
          - hello.txt
      - id: inputFiles
        type: io.kestra.plugin.core.storage.LocalFiles
        inputs:
          hello.txt: |
            HELLO WORLD
`;
    const first = await t.run(yaml);
    expect(first.state).toBe('SUCCESS');
    expect(first.outputs.exists).toEqual({ uris: {} });
    const second = await t.run(yaml);
    expect(Object.keys((second.outputs.exists as { uris: Record<string, string> }).uris)).toEqual(['hello.txt']);
  });

  it('gives its tasks the loop value of the WorkingDirectory as taskrun.value (working-directory-taskrun.yml)', async () => {
    const result = await t.run(`
id: working-directory-taskrun
namespace: io.kestra.tests
tasks:
  - id: parallel
    type: io.kestra.plugin.core.flow.ForEach
    concurrencyLimit: 0
    values: ["1"]
    tasks:
      - id: workingDir
        type: io.kestra.plugin.core.flow.WorkingDirectory
        tasks:
          - id: log-taskrun
            type: io.kestra.plugin.core.debug.Return
            format:  "{{ taskrun.value }}"
`);
    expect(result.state).toBe('SUCCESS');
    expect(result.taskRuns).toHaveLength(3);
    expect(result.outputs['log-taskrun']).toEqual({ '1': { value: '1' } });
  });

  it('runs script tasks in the shared directory', async () => {
    const result = await t.run(`
id: wdir-scripts
namespace: io.kestra.tests
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: write
        type: io.kestra.plugin.scripts.shell.Commands
        taskRunner:
          type: io.kestra.plugin.core.runner.Process
        commands:
          - echo "from write" > shared.txt
      - id: read
        type: io.kestra.plugin.scripts.shell.Commands
        taskRunner:
          type: io.kestra.plugin.core.runner.Process
        commands:
          - echo "::{\\"outputs\\":{\\"content\\":\\"$(cat shared.txt)\\"}}::"
`);
    expect(result.state).toBe('SUCCESS');
    expect(result.outputs.read).toMatchObject({ vars: { content: 'from write' } });
  });

  it('refuses flowable children, as WorkingDirectoryTaskValidator does', () => {
    expect(() => t.flow(`
id: wdir-flowable
namespace: io.kestra.tests
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: seq
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - id: r
            type: io.kestra.plugin.core.debug.Return
            format: x
`)).toThrow('Only runnable tasks are allowed as children of a WorkingDirectory task');
  });

  it('copies the namespace files, minus the excluded ones, into the directory (working-directory-namespace-files.yaml, WorkingDirectoryTest#namespaceFiles)', async () => {
    const put = (p: string, text: string) => t.engine.storage.putText(t.engine.storage.toUri(`/io/kestra/tests/_files${p}`), text);
    await put('/test/a/b/c/1.txt', 'first');
    await put('/a/b/c/2.txt', 'second');
    await put('/a/b/3.txt', 'third');
    await put('/ignore/4.txt', '4th');
    // Kestra's test reads with its test-only Read task; a shell command reads the same files here.
    const read = (id: string, file: string) => `
          - id: ${id}
            type: io.kestra.plugin.scripts.shell.Commands
            taskRunner:
              type: io.kestra.plugin.core.runner.Process
            commands:
              - v=$(cat ${file})
              - echo "::{\\"outputs\\":{\\"value\\":\\"$v\\"}}::"`;
    const result = await t.run(`
id: working-directory-namespace-files
namespace: io.kestra.tests
tasks:
  - id: allow
    type: io.kestra.plugin.core.flow.AllowFailure
    tasks:
      - id: worker
        type: io.kestra.plugin.core.flow.WorkingDirectory
        namespaceFiles:
          enabled: true
          exclude:
            - /ignore/**
        tasks:${read('t1', 'test/a/b/c/1.txt')}${read('t2', 'a/b/c/2.txt')}${read('t3', 'a/b/3.txt')}${read('t4', 'ignore/4.txt')}
`);
    expect(result.taskRuns).toHaveLength(6);
    expect(result.state).toBe('WARNING');
    expect(statesOf(result)).toMatchObject({ t1: 'SUCCESS', t2: 'SUCCESS', t3: 'SUCCESS', t4: 'FAILED' });
    expect(result.outputs.t1).toMatchObject({ vars: { value: 'first' } });
    expect(result.outputs.t2).toMatchObject({ vars: { value: 'second' } });
    expect(result.outputs.t3).toMatchObject({ vars: { value: 'third' } });
  });
});
