/**
 * A script task's processes end with it, through the real engine and process runner: a cancel
 * reaches KILLED within the grace period + 5 s even when the task started a process that left
 * its session, a timeout ends such a process too, and no command line shows what the task's
 * commands say (they may hold rendered secrets).
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestEngine, type TestEngine } from '../../../test/support/engine';
import { isGone } from '../../../test/support/processes';

const GRACE_MS = 1_000;
const ENDS_WITHIN_MS = GRACE_MS + 5_000;

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function engine(): TestEngine {
  t = createTestEngine({ settings: { defaultRunner: 'process', limits: { killGraceMs: GRACE_MS } } });
  return t;
}

const SLEEPER = `id: sleeper
namespace: test.lifetime
tasks:
  - id: sleep
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - setsid sleep 3234 &
      - echo "child $!"
      - echo "secret-looking words in the commands"
      - sleep 3234
`;

/** Pids of the processes whose command line mentions `text`. */
function commandLinesWith(text: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('a script task and its processes', () => {
  it('cancel reaches KILLED within the grace period + 5 s and ends the child that left the session; no command line shows the commands', async () => {
    const e = engine();
    let child = 0;
    let cancelledAt = 0;
    let inArgv: number[] = [];
    const { id, done } = e.engine.start({ flow: e.flow(SLEEPER) });
    e.engine.bus.subscribe((event) => {
      if (event.kind !== 'log') return;
      const m = /^child (\d+)$/.exec(event.log.message);
      if (m) child = Number(m[1]);
      if (event.log.message.startsWith('secret-looking')) {
        inArgv = commandLinesWith('secret-looking words');
        cancelledAt = Date.now();
        e.engine.cancel(id);
      }
    });
    const result = await done;
    expect(result.state).toBe('KILLED');
    expect(Date.now() - cancelledAt).toBeLessThan(ENDS_WITHIN_MS);
    expect(child).toBeGreaterThan(0);
    expect(isGone(child), `setsid child ${child} survived`).toBe(true);
    expect(inArgv).toEqual([]);
  });

  it('a timeout ends the task and the child that left the session', async () => {
    const e = engine();
    const started = Date.now();
    const result = await e.run(SLEEPER.replace('    taskRunner:', '    timeout: PT1S\n    taskRunner:'));
    expect(result.state).toBe('FAILED');
    expect(Date.now() - started).toBeLessThan(1_000 + ENDS_WITHIN_MS);
    const child = Number(/^child (\d+)$/.exec(e.logsOf(result.id).find((l) => l.message.startsWith('child '))?.message ?? '')?.[1]);
    expect(isGone(child), `setsid child ${child} survived`).toBe(true);
  });
});
