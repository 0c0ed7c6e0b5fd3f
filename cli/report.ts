/**
 * `flowbook run FILE --report out.html`: the run report of a headless run, the same file the
 * app downloads. Log lines are kept as they are printed, the first REPORT_LOG_LINES of each
 * task plus a count, so a run of millions of lines does not fill memory.
 */
import fs from 'node:fs';
import type { Engine, ExecutionResult } from '../lib/engine';
import type { LogLine } from '../lib/engine/events';
import { preview } from '../lib/preview';
import { gatherReport, renderReport, REPORT_LOG_LINES, type ReportLogs } from '../lib/report';

export interface ReportCollector {
  write(result: ExecutionResult, opts: { flowYaml: string; namespace: string; flowId: string; triggerDate?: string }): Promise<void>;
  stop(): void;
}

/** Secret values the CLI's engine reads (`SECRET_<KEY>`, base64), to mask in the report. */
function envSecrets(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([k, v]) => k.startsWith('SECRET_') && typeof v === 'string' && v !== '')
    .map(([, v]) => Buffer.from(v as string, 'base64').toString('utf8'));
}

export function collectReport(engine: Engine, file: string): ReportCollector {
  const logs = new Map<string, ReportLogs>();
  const unsubscribe = engine.bus.subscribe((event) => {
    if (event.kind !== 'log') return;
    const line: LogLine = event.log;
    const key = line.taskId ?? '';
    const entry = logs.get(key) ?? { lines: [], total: 0 };
    entry.total += 1;
    if (entry.lines.length < REPORT_LOG_LINES) entry.lines.push({ at: line.at, level: line.level, message: line.message });
    logs.set(key, entry);
  });
  return {
    stop: unsubscribe,
    async write(result, opts) {
      unsubscribe();
      const start = Date.parse(result.startDate);
      const end = Date.parse(result.endDate);
      const input = await gatherReport({
        execution: {
          id: result.id,
          notebookId: '',
          namespace: opts.namespace,
          flowId: opts.flowId,
          state: result.state,
          mode: 'all',
          labels: result.labels,
          inputs: result.inputs,
          startDate: result.startDate,
          endDate: result.endDate,
          durationMs: Number.isFinite(end - start) ? end - start : undefined,
          error: result.error,
          triggerDate: opts.triggerDate,
        },
        taskRuns: result.taskRuns,
        flowYaml: opts.flowYaml,
        logs: async (taskId, limit) => {
          const entry = logs.get(taskId ?? '') ?? { lines: [], total: 0 };
          return { lines: entry.lines.slice(0, limit), total: entry.total };
        },
        readStored: async (uri, limit) => {
          const page = await preview(engine.storage, uri, { offset: 0, limit });
          return { columns: page.columns, rows: page.rows, total: page.total };
        },
        secrets: envSecrets(process.env),
      });
      fs.writeFileSync(file, renderReport(input));
      process.stderr.write(`flowbook: report written to ${file}\n`);
    },
  };
}
