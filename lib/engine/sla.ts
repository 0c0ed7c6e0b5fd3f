/**
 * Flow SLAs while an execution runs, as Kestra's executor applies them (SLAService,
 * ExecutorService.handleExecutionChangedSLA / processViolation): an EXECUTION_ASSERTION is
 * checked each time the execution changes (it starts, a task run ends) and a MAX_DURATION
 * when its duration has passed. A violation is logged; FAIL and CANCEL stop the execution in
 * that state, NONE only reports; the SLA's `labels` are added to the execution. Only the
 * first violated assertion of one check acts, as in Kestra.
 */
import type { SlaSpec } from '../flow';
import { renderValue, type TemplateHost } from '../template';
import { parseDurationMs } from '../model/duration';
import { isTruthy } from '../tasks/core/truth';
import type { ExecutionRun } from './execution-run';

interface Violation {
  sla: SlaSpec;
  reason: string;
}

/** Java's Duration.toString for a positive number of milliseconds (`PT0.512S`, `PT1M5S`). */
function isoDuration(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds || (!hours && !minutes) ? `${seconds}S` : ''}`;
}

export class SlaMonitor {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly slas: readonly SlaSpec[],
    private readonly run: ExecutionRun,
    private readonly host: TemplateHost,
  ) {}

  /** Starts the duration timers and checks assertions on every change from now on. */
  start(startedAt: number): void {
    if (this.slas.length === 0) return;
    for (const sla of this.slas) {
      if (sla.type !== 'MAX_DURATION') continue;
      const limit = parseDurationMs(sla.duration, `sla ${sla.id}: duration`);
      const timer = setTimeout(() => {
        const elapsed = Date.now() - startedAt;
        this.apply({ sla, reason: `execution duration of ${isoDuration(elapsed)} exceed the maximum duration of ${sla.duration}.` });
      }, Math.max(0, limit - (Date.now() - startedAt)) + 1);
      this.timers.push(timer);
    }
    if (this.slas.some((s) => s.type === 'EXECUTION_ASSERTION')) this.run.onTaskRunEnd = () => this.checkAssertions();
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.run.onTaskRunEnd = undefined;
  }

  private checkAssertions(): void {
    const violations: Violation[] = [];
    for (const sla of this.slas) {
      if (sla.type !== 'EXECUTION_ASSERTION') continue;
      try {
        if (!isTruthy(renderValue(sla.assert, this.run.executionVariables(), this.host))) {
          violations.push({ sla, reason: `assertion is false: ${sla.assert}.` });
        }
      } catch (err) {
        this.run.log('ERROR', `Ignoring SLA '${sla.id}' because of the error: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    for (const v of violations) this.run.log('WARN', `SLA '${v.sla.id}' violated: ${v.reason}`);
    if (violations.length > 0) this.act(violations[0]);
  }

  private apply(violation: Violation): void {
    if (this.run.signal.aborted) return;
    this.run.log('WARN', `SLA '${violation.sla.id}' violated: ${violation.reason}`);
    this.act(violation);
  }

  private act({ sla, reason }: Violation): void {
    const labels = sla.labels;
    const current = this.run.snapshot.labels;
    if (Object.entries(labels).some(([k, v]) => current[k] !== v)) this.run.mergeLabels(labels);
    switch (sla.behavior) {
      case 'FAIL':
        this.run.log('ERROR', `Execution failed due to SLA '${sla.id}' violated: ${reason}`);
        this.run.stopForSla('FAILED');
        break;
      case 'CANCEL':
        this.run.stopForSla('CANCELLED');
        break;
      case 'NONE':
        break;
    }
  }
}
