/**
 * Kestra's `::{json}::` stdout protocol: a script prints one whole line `::{…}::` to send
 * outputs, metrics and log lines back to the task. Every other line is a plain log line.
 * Matches Kestra's `^::(\{.*})::$` exactly: the JSON must sit on one line.
 */
import type { LogLevel } from '../../model/log';
import type { RunnerLine } from '../../runners/types';
import type { RunContext } from '../types';
import { StderrTail } from './error-tail';

const PROTOCOL_LINE = /^::(\{.*\})::$/;

export type MetricType = 'counter' | 'timer' | 'gauge';

export interface ProtocolMetric {
  name: string;
  type: MetricType;
  value: number;
  tags: Record<string, string>;
}

export interface ProtocolLog {
  level: LogLevel;
  message: string;
}

export interface ProtocolMessage {
  outputs: Record<string, unknown>;
  metrics: ProtocolMetric[];
  logs: ProtocolLog[];
}

/** Parses one line; `undefined` when the line is not a protocol frame (then it is logged as text). */
export function parseProtocolLine(line: string): ProtocolMessage | undefined {
  // Nearly every line is plain output: two character checks settle those without the regex.
  if (line.charCodeAt(0) !== 58 || line.charCodeAt(line.length - 1) !== 58) return undefined;
  const match = PROTOCOL_LINE.exec(line);
  if (!match) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(match[1]);
  } catch {
    // Kestra fails the line the same way: it is not a frame, so it is shown as printed.
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  return {
    outputs: isRecord(parsed.outputs) ? parsed.outputs : {},
    metrics: Array.isArray(parsed.metrics) ? parsed.metrics.flatMap(toMetric) : [],
    logs: Array.isArray(parsed.logs) ? parsed.logs.flatMap(toLog) : [],
  };
}

function toMetric(raw: unknown): ProtocolMetric[] {
  if (!isRecord(raw) || typeof raw.name !== 'string') return [];
  const type = typeof raw.type === 'string' ? raw.type.toLowerCase() : '';
  if (type !== 'counter' && type !== 'timer' && type !== 'gauge') return [];
  const value = typeof raw.value === 'number' ? raw.value : Number(raw.value);
  if (!Number.isFinite(value)) return [];
  const tags: Record<string, string> = {};
  if (isRecord(raw.tags)) for (const [k, v] of Object.entries(raw.tags)) tags[k] = String(v);
  return [{ name: raw.name, type, value, tags }];
}

function toLog(raw: unknown): ProtocolLog[] {
  if (!isRecord(raw)) return [];
  const message = typeof raw.message === 'string' ? raw.message : JSON.stringify(raw.message ?? '');
  return [{ level: toLevel(raw.level), message }];
}

/** slf4j level names as scripts send them (Python's logging says WARNING and CRITICAL). */
export function toLevel(raw: unknown): LogLevel {
  switch (typeof raw === 'string' ? raw.toUpperCase() : '') {
    case 'TRACE':
      return 'TRACE';
    case 'DEBUG':
      return 'DEBUG';
    case 'WARN':
    case 'WARNING':
      return 'WARN';
    case 'ERROR':
    case 'CRITICAL':
    case 'FATAL':
      return 'ERROR';
    default:
      return 'INFO';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Collects what a script reports while it runs: routes frames to outputs, metrics and
 * logs, logs other lines, and counts stderr lines for `warningOnStdErr`.
 */
export class OutputCollector {
  readonly vars: Record<string, unknown> = {};
  stdoutLines = 0;
  stderrLines = 0;
  /** The last plain stderr lines, for the task's error when the script fails. */
  readonly stderrTail = new StderrTail();

  constructor(
    private readonly ctx: Pick<RunContext, 'logger' | 'metric'>,
    /** Rewrites a plain output line before it is logged (script file positions → the cell's lines). */
    private readonly rewrite: (line: string) => string = (line) => line,
  ) {}

  readonly accept = ({ stream, line }: RunnerLine): void => {
    // Kestra counts every stderr line, frames included (the Python logger writes WARN frames to stderr).
    if (stream === 'stderr') this.stderrLines++;
    else this.stdoutLines++;
    const message = parseProtocolLine(line);
    if (!message) {
      const text = this.rewrite(line);
      if (stream === 'stderr') this.stderrTail.push(text);
      // Kestra 0.2x logs plain stderr lines at ERROR. Flowbook uses WARN: stderr carries
      // progress bars and library warnings far more often than failures, the task already
      // turns WARNING for it, and a failing exit code is reported as the task's error.
      this.ctx.logger.log(stream === 'stderr' ? 'WARN' : 'INFO', text);
      return;
    }
    // Kestra merges frames shallowly: a later key replaces an earlier one.
    Object.assign(this.vars, message.outputs);
    for (const m of message.metrics) this.ctx.metric(m.name, m.type, m.value, m.tags);
    for (const l of message.logs) this.ctx.logger.log(l.level, l.message);
  };
}
