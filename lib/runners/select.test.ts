import { describe, expect, it } from 'vitest';
import type { RunnerSettings } from './types';
import { dockerAvailable } from './docker';
import { selectRunner } from './select';

const settingsWith = (defaultRunner: RunnerSettings['defaultRunner']) => ({ defaultRunner });

describe('selectRunner', () => {
  it('uses the process runner when the task names it, whatever the default', async () => {
    const picked = await selectRunner(settingsWith('docker'), { taskRunner: { type: 'io.kestra.plugin.core.runner.Process' } });
    expect([picked.runner.name, picked.warning]).toEqual(['process', undefined]);
    const legacy = await selectRunner(settingsWith('docker'), { runner: 'PROCESS' });
    expect(legacy.runner.name).toBe('process');
  });

  it('uses the default runner when the task names none', async () => {
    const picked = await selectRunner(settingsWith('process'), {});
    expect([picked.runner.name, picked.warning]).toEqual(['process', undefined]);
  });

  it('runs an unknown task runner type on the process runner, saying so', async () => {
    const picked = await selectRunner(settingsWith('process'), { taskRunner: { type: 'io.kestra.plugin.ee.aws.runner.Batch' } });
    expect(picked.runner.name).toBe('process');
    expect(picked.warning).toBe('Task runner io.kestra.plugin.ee.aws.runner.Batch is not supported locally: running on the local process runner');
  });

  it('gives Docker requests to Docker when an engine answers, else to the process runner with the reason', async () => {
    const status = await dockerAvailable();
    for (const choice of [{ taskRunner: { type: 'io.kestra.plugin.scripts.runner.docker.Docker', pullPolicy: 'NEVER' } }, { docker: { pullPolicy: 'NEVER' } }]) {
      const picked = await selectRunner(settingsWith('process'), choice);
      if (status.ok) {
        expect(picked.runner.name).toBe('docker');
        expect(picked.options).toMatchObject({ type: 'io.kestra.plugin.scripts.runner.docker.Docker', pullPolicy: 'NEVER' });
        expect(picked.warning).toBeUndefined();
      } else {
        expect(picked.runner.name).toBe('process');
        expect(picked.warning).toBe(`Docker engine not reachable (${status.reason}): running on the local process runner`);
      }
    }
  });
});
