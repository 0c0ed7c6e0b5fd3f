/**
 * Fault test: a shell task prints a 600 MB line (`head -c 600000000 /dev/zero | tr '\0' x`),
 * then a flood of short lines, with the default limits. The line arrives cut at 1 MiB with a
 * marker, the flood is cut at the task's log limit, the task goes on to its own exit code, and
 * the server's memory stays bounded (bench/output-caps.ts measures the peak RSS).
 */
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processRunner } from './process';
import type { RunnerLine } from './types';

describe('output limits under a flood', () => {
  it('cuts a 600 MB line at 1 MiB with a marker and the log at its limit, without growing the server', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'flowbook-flood-'));
    try {
      const lines: RunnerLine[] = [];
      const logs: string[] = [];
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const result = await processRunner.run({
        workingDir: dir,
        command: ['/bin/sh', '-c', "head -c 600000000 /dev/zero | tr '\\0' x; echo; seq 1 3000000; echo done"],
        env: {},
        options: {},
        signal: new AbortController().signal,
        labels: { executionId: 'e1', taskRunId: 'tr1', taskId: 'flood' },
        // Default limits: 1 MiB a line, 100 MiB a task.
        settings: { defaultRunner: 'process', dockerVolumesEnabled: false, cacheDir: path.join(dir, '.cache'), limits: { logLineMaxBytes: 1024 ** 2, taskLogMaxBytes: 100 * 1024 ** 2 } },
        onLine: (l) => lines.push(l),
        log: (_level, message) => logs.push(message),
        detail: () => {},
        secret: () => {},
      });
      clearInterval(sampler);
      console.log(`600 MB line and 3,000,000 lines: ${lines.length} lines kept, the server's RSS peaked ${Math.round((peak - before) / 1024 ** 2)} MB above its start`);
      expect(result).toEqual({ exitCode: 0 });
      expect(lines[0].line).toHaveLength(1024 ** 2 + ' … [line cut: 598,951,424 more bytes]'.length);
      expect(lines[0].line.endsWith('x … [line cut: 598,951,424 more bytes]')).toBe(true);
      expect(lines[1].line).toBe('1');
      // 3 million numbered lines cost more than 100 MiB with their per-line share: the log was cut.
      expect(lines.length).toBeLessThan(3_000_000);
      expect(lines.at(-1)?.line).not.toBe('done');
      expect(logs[0]).toMatch(/^log cut: this task's log reached 100 MiB/);
      expect(logs[1]).toMatch(/^output not kept: [\d,]+ more bytes/);
      // Generous: the line itself is 600 MB; what the server held of it is 1 MiB.
      expect(peak - before).toBeLessThan(400 * 1024 ** 2);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
