import { describe, expect, it } from 'vitest';
import { OutputCollector, parseProtocolLine } from './output-protocol';
import type { LogLevel } from '../../model/log';

function collector() {
  const logs: { level: LogLevel; message: string }[] = [];
  const metrics: { name: string; type: string; value: number; tags?: Record<string, string> }[] = [];
  const log = (level: LogLevel, message: string) => logs.push({ level, message });
  const c = new OutputCollector({
    logger: {
      trace: (m) => log('TRACE', m),
      debug: (m) => log('DEBUG', m),
      info: (m) => log('INFO', m),
      warn: (m) => log('WARN', m),
      error: (m) => log('ERROR', m),
      log,
    },
    metric: (name, type, value, tags) => metrics.push({ name, type, value, tags }),
  });
  return { c, logs, metrics };
}

describe('the ::{json}:: protocol', () => {
  it('reads the frames the Python SDK prints', () => {
    expect(parseProtocolLine('::{"outputs": {"downloads": 123}}::')?.outputs).toEqual({ downloads: 123 });
    expect(parseProtocolLine('::{"metrics": [{"name": "rows", "type": "counter", "value": 5, "tags": {"t": 1}}]}::')?.metrics).toEqual([
      { name: 'rows', type: 'counter', value: 5, tags: { t: '1' } },
    ]);
  });

  it('needs the whole line to be the frame', () => {
    expect(parseProtocolLine('x ::{"outputs": {"a": 1}}::')).toBeUndefined();
    expect(parseProtocolLine('::{"outputs": {"a": 1}}:: ')).toBeUndefined();
    expect(parseProtocolLine('::{not json}::')).toBeUndefined();
    expect(parseProtocolLine('::[1,2]::')).toBeUndefined();
  });

  it('merges outputs, records metrics, re-emits logs and logs other lines', () => {
    const { c, logs, metrics } = collector();
    c.accept({ stream: 'stdout', line: 'hello' });
    c.accept({ stream: 'stdout', line: '::{"outputs": {"a": 1, "b": {"x": 1}}}::' });
    c.accept({ stream: 'stdout', line: '::{"outputs": {"b": 2}}::' });
    c.accept({ stream: 'stdout', line: '::{"metrics": [{"name": "t", "type": "timer", "value": 0.5}]}::' });
    c.accept({ stream: 'stderr', line: '::{"logs": [{"level": "WARNING", "message": "careful"}]}::' });
    c.accept({ stream: 'stderr', line: 'a warning from a library' });
    expect(c.vars).toEqual({ a: 1, b: 2 });
    expect(metrics).toEqual([{ name: 't', type: 'timer', value: 0.5, tags: {} }]);
    expect(logs).toEqual([
      { level: 'INFO', message: 'hello' },
      { level: 'WARN', message: 'careful' },
      { level: 'WARN', message: 'a warning from a library' },
    ]);
    expect(c.stderrLines).toBe(2);
    expect(c.stdoutLines).toBe(4);
  });
});
