/** How the CLI prints log lines on stderr: time, level, task id, message. */
import type { LogLine } from '../lib/engine/events';

const COLORS: Record<LogLine['level'], string> = {
  TRACE: '\x1b[90m',
  DEBUG: '\x1b[36m',
  INFO: '\x1b[32m',
  WARN: '\x1b[33m',
  ERROR: '\x1b[31m',
};

export function formatLogLine(line: LogLine, color: boolean): string {
  const time = line.at.slice(11, 23);
  const level = line.level.padEnd(5);
  const where = line.taskId ? `[${line.taskId}] ` : '';
  const prefix = color ? `${COLORS[line.level]}${level}\x1b[0m` : level;
  return `${time} ${prefix} ${where}${line.message}`;
}
