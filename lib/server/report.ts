/**
 * The run report of a stored execution: its rows, task runs, log lines and result files
 * read from this server's database and storage, rendered by lib/report.
 */
import { preview } from '../preview';
import { gatherReport, renderReport, reportFileName, type ReportCharts, type ReportLogs } from '../report';
import type { App } from './app';

export async function executionReport(app: App, executionId: string, charts?: ReportCharts): Promise<{ fileName: string; html: string }> {
  const detail = await app.runs.detail(executionId);
  const row = await app.runs.executionRow(executionId);
  const logs = async (taskId: string | null, limit: number): Promise<ReportLogs> => {
    const where = { executionId, taskId };
    const [lines, total] = await Promise.all([app.db.logLine.findMany({ where, orderBy: { seq: 'asc' }, take: limit }), app.db.logLine.count({ where })]);
    return { lines: lines.map((l) => ({ at: l.at.toISOString(), level: l.level as ReportLogs['lines'][number]['level'], message: l.message })), total };
  };
  const input = await gatherReport({
    execution: detail.execution,
    taskRuns: detail.taskRuns,
    flowYaml: row.flowYaml,
    logs,
    readStored: async (uri, limit) => {
      const page = await preview(app.engine.storage, uri, { offset: 0, limit });
      return { columns: page.columns, rows: page.rows, total: page.total };
    },
    secrets: app.secrets.allValues(),
    charts,
  });
  return { fileName: reportFileName(detail.execution), html: renderReport(input) };
}
