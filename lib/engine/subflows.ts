/**
 * What a child execution started by a Subflow or ForEachItem gets from its parent, as Kestra's
 * ExecutableUtils.subflowExecution builds it: its labels, its trigger (the parent reference)
 * and the inputs its flow declares. Pure: the engine does the starting.
 */
import type { FlowSpec } from '../flow';
import type { ExecutionOrigin } from './events';
import type { SubflowRequest } from '../tasks/types';
import { SYSTEM_PREFIX } from './labels';

/** Kestra's Subflow type: a child execution's `trigger` has it (ExecutableUtils.SUBFLOW_TRIGGER_TYPE). */
export const SUBFLOW_TRIGGER_TYPE = 'io.kestra.plugin.core.flow.Subflow';

export interface FlowRef {
  namespace: string;
  flowId: string;
}

/** A flow found by namespace and id, and where its executions belong (a notebook in the app). */
export interface ResolvedFlow {
  flow: FlowSpec;
  origin?: ExecutionOrigin;
}

/**
 * Finds the flow a Subflow names. Whoever builds the engine gives one: the app looks among its
 * notebooks, the CLI among flow files. The engine knows neither.
 */
export interface FlowResolver {
  resolve(ref: FlowRef & { from: FlowRef }): Promise<ResolvedFlow | undefined>;
  /** Where it looks, said in the error when a flow is not found: "the flow files in flows/". */
  readonly searched: string;
}

/** The parent task run a child execution is started from. */
export interface SubflowParent {
  executionId: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  taskRunId: string;
  taskId: string;
  taskType: string;
  taskRunValue?: string;
  /** The parent execution's labels now. */
  labels: Readonly<Record<string, string>>;
}

/** A child execution's `trigger`: who started it. */
export interface ExecutionTrigger {
  id: string;
  type: string;
  variables: Record<string, unknown>;
}

/**
 * With `inheritLabels` the child gets the parent's labels except those its own flow sets
 * (filterLabels), else only the parent's `system.` ones, so `system.correlationId` follows the
 * whole tree; the task's own labels come last and win.
 */
export function childLabels(parent: SubflowParent, child: FlowSpec, request: Pick<SubflowRequest, 'inheritLabels' | 'labels'>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(parent.labels)) {
    const keep = request.inheritLabels ? !(k in child.labels) : k.startsWith(SYSTEM_PREFIX);
    if (keep) labels[k] = v;
  }
  for (const [k, v] of Object.entries(request.labels)) labels[k] = v;
  return labels;
}

/** The child's `trigger.*`: the parent execution, flow and task run (ExecutableUtils' trigger variables). */
export function subflowTrigger(parent: SubflowParent, iteration: number | undefined): ExecutionTrigger {
  const variables: Record<string, unknown> = {
    executionId: parent.executionId,
    namespace: parent.namespace,
    flowId: parent.flowId,
    flowRevision: parent.flowRevision,
    taskRunId: parent.taskRunId,
    taskId: parent.taskId,
  };
  if (parent.taskRunValue !== undefined) variables.taskRunValue = parent.taskRunValue;
  if (iteration !== undefined) variables.taskRunIteration = iteration;
  return { id: parent.taskId, type: parent.taskType, variables };
}

/** The inputs the child flow declares, and the names of those it does not (Kestra warns about them and drops them). */
export function declaredInputs(child: FlowSpec, inputs: Record<string, unknown>): { kept: Record<string, unknown>; dropped: string[] } {
  const declared = new Set(child.inputs.map((i) => i.id));
  const kept: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [k, v] of Object.entries(inputs)) {
    if (declared.has(k)) kept[k] = v;
    else dropped.push(k);
  }
  return { kept, dropped };
}

/** A resolver over flows already read (the CLI's flow files, a test's flows): the first with the namespace and id wins. */
export function flowsResolver(flows: readonly ResolvedFlow[], searched: string): FlowResolver {
  return {
    searched,
    resolve: async ({ namespace, flowId }) => flows.find((f) => f.flow.namespace === namespace && f.flow.id === flowId),
  };
}
