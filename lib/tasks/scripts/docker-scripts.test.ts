import { afterEach, describe, expect, it } from 'vitest';
import { createTestRunContext } from '../../engine/run-context';
import { dockerForTests, TEST_IMAGE } from '../../../test/support/docker';
import type { RunnableTaskDefinition } from '../types';
import { definitions } from './index';

const docker = await dockerForTests();

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

function runnable(type: string): RunnableTaskDefinition {
  const def = definitions.find((d) => d.type === type);
  if (!def || def.kind !== 'runnable') throw new Error(`no runnable ${type}`);
  return def;
}

describe.skipIf(!docker.ok)('python Script on the Docker runner', () => {
  it('runs in a container, imports the built-in kestra module and returns outputs and files', async () => {
    const t = await createTestRunContext({
      task: {
        id: 'py',
        type: 'io.kestra.plugin.scripts.python.Script',
        containerImage: TEST_IMAGE,
        taskRunner: { type: 'io.kestra.plugin.scripts.runner.docker.Docker', pullPolicy: 'NEVER', networkMode: 'none' },
        inputFiles: { 'in.txt': 'three words here' },
        outputFiles: ['out.txt'],
        script: [
          'import os',
          'from kestra import Kestra',
          'words = open("in.txt").read().split()',
          'open("out.txt", "w").write(str(len(words)))',
          'Kestra.outputs({"words": len(words), "in_container": os.path.exists("/.dockerenv")})',
        ].join('\n'),
      },
      settings: { defaultRunner: 'process' },
    });
    disposers.push(t.dispose);
    const result = await runnable('io.kestra.plugin.scripts.python.Script').run(t.ctx);
    const out = result.outputs as { vars: Record<string, unknown>; outputFiles: Record<string, string> };
    expect(t.details.runner).toBe('docker');
    expect(out.vars).toEqual({ words: 3, in_container: true });
    expect(t.storage.readTextSync(out.outputFiles['out.txt'])).toBe('3');
    expect(t.logs.filter((l) => l.level === 'WARN')).toEqual([]);
  });
});
