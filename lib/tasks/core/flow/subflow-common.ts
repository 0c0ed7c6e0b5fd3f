/**
 * What Subflow and ForEachItem share: the properties that name and feed the child flow, its
 * labels, and the state a child's end gives the task run (ExecutableUtils.guessState).
 */
import * as z from 'zod';
import { dynamic } from '../../schema';
import { TaskError, type RunContext, type SubflowRun } from '../../types';
import type { TerminalState } from '../../../model/states';
import { renderBoolean, renderRecord } from '../props';

const SYSTEM_PREFIX = 'system.';

const labelPair = z.object({ key: z.string(), value: z.unknown() });

/** The properties both tasks have (Subflow.java, ForEachItem.java). */
export const childFlowProperties = {
  namespace: z.string().describe('The namespace of the flow to run; Flowbook looks for a notebook (in the app) or a flow file (on the command line) with this namespace and `flowId`.'),
  flowId: z.string().describe('The id of the flow to run.'),
  revision: dynamic(z.number().int().min(1)).optional().describe('A revision of the flow to run. Flowbook keeps one version of each flow, so it runs that one and says so in the log.'),
  inputs: z.record(z.string(), z.unknown()).optional().describe('The inputs of the child execution; keys and values are rendered. Inputs the child flow does not declare are dropped with a warning.'),
  labels: z.union([z.record(z.string(), z.unknown()), z.array(labelPair)]).optional().describe('Labels for the child execution, a map or a list of `{key, value}`; keys and values are rendered. `system.` keys are refused.'),
  wait: z.boolean().optional().describe('Wait for the child execution to end (default true); only then are its outputs available.'),
  transmitFailed: z.boolean().optional().describe('When waiting: a child ending FAILED or KILLED fails this task, and WARNING makes it WARNING (default true).'),
  inheritLabels: dynamic(z.boolean()).optional().describe("Give the child this execution's labels (default false: only the `system.` ones, such as the correlation id)."),
  scheduleDate: z.string().optional().describe('An ISO date-time: the child execution starts then rather than now.'),
  restartBehavior: z.enum(['RETRY_FAILED', 'NEW_EXECUTION']).optional().describe('What a restart of this execution does to the child (Kestra; Flowbook does not restart executions).'),
};

export interface ChildFlowSettings {
  namespace: string;
  flowId: string;
  labels: Record<string, string>;
  wait: boolean;
  transmitFailed: boolean;
  inheritLabels: boolean;
}

interface ChildFlowProps {
  namespace: string;
  flowId: string;
  revision?: unknown;
  labels?: Record<string, unknown> | { key: string; value?: unknown }[];
  wait?: boolean;
  transmitFailed?: boolean;
  inheritLabels?: unknown;
}

/** Renders what names the child flow and how this task waits for it. */
export function childFlowSettings(ctx: RunContext, props: ChildFlowProps): ChildFlowSettings {
  const namespace = ctx.renderString(props.namespace).trim();
  const flowId = ctx.renderString(props.flowId).trim();
  if (namespace === '') throw new TaskError(`task "${ctx.task.id}": namespace renders empty`);
  if (flowId === '') throw new TaskError(`task "${ctx.task.id}": flowId renders empty`);
  if (props.revision !== undefined) {
    ctx.logger.info(`revision ${String(props.revision)} is ignored: Flowbook keeps one version of ${namespace}.${flowId} and runs it`);
  }
  return {
    namespace,
    flowId,
    labels: renderLabels(ctx, props.labels),
    wait: props.wait ?? true,
    transmitFailed: props.transmitFailed ?? true,
    inheritLabels: renderBoolean(ctx, props.inheritLabels, false),
  };
}

function renderLabels(ctx: RunContext, labels: ChildFlowProps['labels']): Record<string, string> {
  const entries: [unknown, unknown][] = Array.isArray(labels) ? labels.map((l) => [l.key, l.value]) : Object.entries(labels ?? {});
  const out: Record<string, string> = {};
  for (const [rawKey, rawValue] of entries) {
    const key = ctx.renderString(rawKey);
    // NoSystemLabelValidation: system labels belong to Kestra.
    if (key.startsWith(SYSTEM_PREFIX)) throw new TaskError(`task "${ctx.task.id}": labels: System labels can only be set by Kestra itself, offending label: ${key}`);
    out[key] = ctx.renderString(rawValue);
  }
  return out;
}

/** Renders the child's inputs, with extra variables (ForEachItem's `taskrun.items`). */
export function renderChildInputs(ctx: RunContext, inputs: Record<string, unknown> | undefined, extraVars?: Record<string, unknown>): Record<string, unknown> {
  if (inputs === undefined) return {};
  return renderRecord({ render: (value) => ctx.render(value, extraVars) }, inputs, `task "${ctx.task.id}": inputs`);
}

/** Kestra's log line when the child is created (JdbcExecutor). */
export function logChildStarted(ctx: RunContext, settings: Pick<ChildFlowSettings, 'namespace' | 'flowId'>, run: SubflowRun): void {
  ctx.logger.info(`Create new execution for flow '${settings.namespace}'.'${settings.flowId}' with id '${run.executionId}'`);
}

/**
 * The task run's state for a child that ended in `child` (ExecutableUtils.guessState without
 * allowFailure/allowWarning, which the engine applies to every task): with transmitFailed a
 * failed or killed child fails it and a WARNING child makes it WARNING; otherwise SUCCESS.
 */
export function stateFromChild(child: TerminalState, transmitFailed: boolean): 'SUCCESS' | 'WARNING' | 'FAILED' {
  if (!transmitFailed) return 'SUCCESS';
  if (child === 'FAILED' || child === 'KILLED') return 'FAILED';
  if (child === 'WARNING') return 'WARNING';
  return 'SUCCESS';
}

/** A `scheduleDate` in the future delays the start until then; the wait ends early when the task is stopped. */
export async function waitForScheduleDate(ctx: RunContext, scheduleDate: string | undefined): Promise<void> {
  if (scheduleDate === undefined) return;
  const text = ctx.renderString(scheduleDate);
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new TaskError(`task "${ctx.task.id}": scheduleDate "${text}" is not an ISO date-time`);
  const ms = at - Date.now();
  if (ms <= 0) return;
  ctx.logger.info(`the child execution starts at ${new Date(at).toISOString()} (scheduleDate)`);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    ctx.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
  if (ctx.signal.aborted) throw new TaskError('killed before the child execution started');
}
