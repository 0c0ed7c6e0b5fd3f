import { describe, expect, it } from 'vitest';
import { transition, finalState, InvalidTransitionError, ACTIVE_STATES, endEvent, STATES, isTerminal } from '../model/states';
import { applyPluginDefaults } from '../flow/plugin-defaults';
import { parseDurationMs } from '../model/duration';
import { parseRetry } from './retry';
import { SecretMasker, MASK } from './secret-mask';
import { triggerVariables } from './trigger-vars';

describe('states', () => {
  it('moves through Kestra states and refuses impossible moves', () => {
    expect(transition('CREATED', { type: 'start' })).toBe('RUNNING');
    expect(transition('QUEUED', { type: 'start' })).toBe('RUNNING');
    expect(transition('RUNNING', { type: 'warn' })).toBe('WARNING');
    expect(() => transition('SUCCESS', { type: 'start' })).toThrow(InvalidTransitionError);
    expect(() => transition('RUNNING', { type: 'queue' })).toThrow('cannot queue a run that is RUNNING');
  });

  it('has all of Kestra State.Type, seven of them terminal as in isTerminated()', () => {
    // core/src/main/java/io/kestra/core/models/flows/State.java
    expect([...STATES].sort()).toEqual(
      ['CREATED', 'QUEUED', 'RUNNING', 'PAUSED', 'RESTARTED', 'KILLING', 'SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRYING', 'RETRIED', 'SKIPPED'].sort(),
    );
    expect(STATES.filter(isTerminal).sort()).toEqual(['CANCELLED', 'FAILED', 'KILLED', 'RETRIED', 'SKIPPED', 'SUCCESS', 'WARNING']);
    expect([...ACTIVE_STATES].sort()).toEqual(['CREATED', 'KILLING', 'PAUSED', 'QUEUED', 'RESTARTED', 'RETRYING', 'RUNNING']);
  });

  it('retries RUNNING → RETRYING → RUNNING and kills through KILLING → KILLED', () => {
    expect(transition('RUNNING', { type: 'retry' })).toBe('RETRYING');
    expect(transition('RETRYING', { type: 'start' })).toBe('RUNNING');
    expect(transition('RUNNING', { type: 'kill' })).toBe('KILLING');
    expect(transition('KILLING', { type: 'killed' })).toBe('KILLED');
    expect(() => transition('KILLING', { type: 'kill' })).toThrow('cannot kill a run that is KILLING');
    expect(() => transition('KILLING', { type: 'succeed' })).toThrow(InvalidTransitionError);
    expect(transition('RUNNING', { type: 'pause' })).toBe('PAUSED');
    expect(transition('PAUSED', { type: 'resume' })).toBe('RUNNING');
    expect(transition('RUNNING', { type: 'retried' })).toBe('RETRIED');
    expect(() => transition('RETRIED', { type: 'start' })).toThrow(InvalidTransitionError);
  });

  it('restarts only a failed, killed, cancelled or paused run', () => {
    expect(transition('FAILED', { type: 'restart' })).toBe('RESTARTED');
    expect(transition('RESTARTED', { type: 'start' })).toBe('RUNNING');
    expect(() => transition('SUCCESS', { type: 'restart' })).toThrow('cannot restart a run that is SUCCESS');
  });

  it('ends a run with the event for each terminal state', () => {
    for (const s of STATES.filter(isTerminal)) {
      const before = s === 'SKIPPED' ? 'CREATED' : 'RUNNING';
      expect(transition(before, endEvent(s))).toBe(s);
    }
  });

  it("folds child states as Kestra's guessFinalState: KILLED, else FAILED, else WARNING, else SUCCESS", () => {
    expect(finalState(['SUCCESS', 'WARNING', 'SUCCESS'])).toBe('WARNING');
    expect(finalState(['SUCCESS', 'FAILED', 'WARNING'])).toBe('FAILED');
    expect(finalState(['FAILED', 'KILLED'])).toBe('KILLED');
    // Skipped children leave their parent successful (Execution.guessFinalState has no SKIPPED case).
    expect(finalState(['SKIPPED'])).toBe('SUCCESS');
    expect(finalState([])).toBe('SUCCESS');
  });
});

describe('pluginDefaults', () => {
  const defaults = [
    { type: 'io.kestra.plugin.jdbc.postgresql', values: { url: 'jdbc:postgresql://pgdatabase:5432/ny_taxi', username: 'root' }, forced: false },
    { type: 'io.kestra.plugin.core.log.Log', values: { level: 'ERROR' }, forced: false },
  ];

  it('applies by type prefix and lets the task win', () => {
    const task = { id: 'q', type: 'io.kestra.plugin.jdbc.postgresql.CopyIn', username: 'me' };
    expect(applyPluginDefaults(task, defaults)).toEqual({
      id: 'q',
      type: 'io.kestra.plugin.jdbc.postgresql.CopyIn',
      url: 'jdbc:postgresql://pgdatabase:5432/ny_taxi',
      username: 'me',
    });
  });

  it('lets forced defaults win over the task', () => {
    const forced = [{ type: 'io.kestra.plugin.core.log.Log', values: { level: 'WARN' }, forced: true }];
    expect(applyPluginDefaults({ id: 'l', type: 'io.kestra.plugin.core.log.Log', level: 'INFO' }, forced).level).toBe('WARN');
  });

  it('reaches nested maps with a type, such as taskRunner, but not child task lists', () => {
    const d = [{ type: 'io.kestra.plugin.scripts.runner.docker.Docker', values: { pullPolicy: 'NEVER' }, forced: false }];
    const task = {
      id: 's',
      type: 'io.kestra.plugin.scripts.python.Script',
      taskRunner: { type: 'io.kestra.plugin.scripts.runner.docker.Docker' },
    };
    expect(applyPluginDefaults(task, d).taskRunner).toEqual({ type: 'io.kestra.plugin.scripts.runner.docker.Docker', pullPolicy: 'NEVER' });
    const flowable = { id: 'if', type: 'io.kestra.plugin.core.flow.If', then: [{ id: 'l', type: 'io.kestra.plugin.core.log.Log' }] };
    expect(applyPluginDefaults(flowable, defaults, new Set(['then'])).then).toEqual([{ id: 'l', type: 'io.kestra.plugin.core.log.Log' }]);
  });
});

describe('durations and retries', () => {
  it('parses ISO-8601 durations', () => {
    expect(parseDurationMs('PT15S')).toBe(15_000);
    expect(parseDurationMs('PT1H30M')).toBe(5_400_000);
    expect(parseDurationMs('P1D')).toBe(86_400_000);
    expect(parseDurationMs('PT0.5S')).toBe(500);
    expect(() => parseDurationMs('15s', 'task sleep: duration')).toThrow('task sleep: duration: "15s" is not an ISO-8601 duration');
  });

  it('computes constant and exponential delays', () => {
    const constant = parseRetry({ type: 'constant', interval: 'PT2S', maxAttempts: 3 }, 't')!;
    expect(constant.maxAttempts).toBe(3);
    expect(constant.delayMs(1)).toBe(2000);
    const exp = parseRetry({ type: 'exponential', interval: 'PT1S', maxInterval: 'PT5S', maxAttempts: 5 }, 't')!;
    expect([1, 2, 3, 4].map((a) => exp.delayMs(a))).toEqual([1000, 2000, 4000, 5000]);
    expect(() => parseRetry({ type: 'sometimes' }, 'x')).toThrow('task x: retry.type "sometimes"');
  });
});

describe('secret masking', () => {
  it('masks the value and its encoded forms, and leaves other text alone', () => {
    const m = new SecretMasker();
    m.add('s3cr3t/pa ss');
    const b64 = Buffer.from('s3cr3t/pa ss').toString('base64');
    expect(m.mask('password is s3cr3t/pa ss!')).toBe(`password is ${MASK}!`);
    expect(m.mask(`b64 ${b64}`)).toBe(`b64 ${MASK}`);
    expect(m.mask(`url ${encodeURIComponent('s3cr3t/pa ss')}`)).toBe(`url ${MASK}`);
    expect(m.mask('nothing to hide')).toBe('nothing to hide');
    expect(m.maskValue({ a: ['x s3cr3t/pa ss'], n: 1 })).toEqual({ a: [`x ${MASK}`], n: 1 });
  });
});

describe('trigger variables', () => {
  it('gives the scheduled date with next and previous from the cron', () => {
    const triggers = [{ id: 'green_schedule', type: 'io.kestra.plugin.core.trigger.Schedule', cron: '0 9 1 * *' }];
    expect(triggerVariables('2019-03-01T09:00:00Z', triggers)).toEqual({
      date: '2019-03-01T09:00:00Z',
      next: '2019-04-01T09:00:00Z',
      previous: '2019-02-01T09:00:00Z',
    });
  });
});
