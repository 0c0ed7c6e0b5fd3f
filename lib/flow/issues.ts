/** Collecting validation issues with their source positions. */
import type { Document } from 'yaml';
import { formatPath, keyPositionOf, nearestPositionOf } from './positions';
import type { FlowIssue, YamlPath } from './types';

export class IssueList {
  readonly items: FlowIssue[] = [];

  constructor(private readonly source: { doc: Document; text: string }) {}

  error(path: YamlPath, message: string, taskId?: string): void {
    this.add('error', path, message, taskId);
  }

  warning(path: YamlPath, message: string, taskId?: string): void {
    this.add('warning', path, message, taskId);
  }

  /** An issue about a map key itself (an unknown property): positioned at the key, not its value. */
  keyWarning(path: YamlPath, message: string): void {
    this.add('warning', path, message, undefined, true);
  }

  add(severity: FlowIssue['severity'], path: YamlPath, message: string, taskId?: string, atKey = false): void {
    const issue: FlowIssue = { message, path, severity };
    const pos = (atKey ? keyPositionOf(this.source, path) : undefined) ?? nearestPositionOf(this.source, path);
    if (pos) issue.pos = pos;
    if (taskId !== undefined) issue.taskId = taskId;
    this.items.push(issue);
  }

  positionText(path: YamlPath): string {
    const pos = nearestPositionOf(this.source, path);
    return pos ? `line ${pos.line}, column ${pos.column}` : formatPath(path);
  }

  get hasErrors(): boolean {
    return this.items.some((i) => i.severity === 'error');
  }
}

/** True when any issue is an error (warnings alone leave a flow runnable). */
export function hasErrors(issues: readonly FlowIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/** `flow.yaml:12:5: tasks[2].id: duplicate task id "x"`. */
export function formatIssue(issue: FlowIssue, fileName = 'flow.yaml'): string {
  const where = issue.pos ? `${fileName}:${issue.pos.line}:${issue.pos.column}` : fileName;
  const path = issue.path.length ? ` ${formatPath(issue.path)}:` : '';
  const level = issue.severity === 'warning' ? ' warning:' : '';
  return `${where}:${level}${path} ${issue.message}`;
}
