/**
 * The other flows a flow starts: its Subflow and ForEachItem tasks (Kestra's ExecutableTask
 * types) with the namespace and flow id they name, so a tool can check that those flows exist
 * before a run fails on them, as Kestra's executor would ("Unable to find flow").
 */
import { walkTasks } from './walk';
import type { FlowSpec, YamlPath } from './types';

/** Subflow (and its old names Flow) and ForEachItem, in Kestra's current and older packages. */
const STARTS_A_FLOW = /^io\.kestra\.(plugin\.core\.flow|core\.tasks\.flows)\.(Subflow|Flow|ForEachItem)$/;

export interface SubflowCall {
  taskId: string;
  /** Where the task's `flowId` is written. */
  path: YamlPath;
  namespace: string;
  flowId: string;
}

/** The calls whose namespace and flowId are written out; those given as templates are only known at run time. */
export function subflowCalls(flow: FlowSpec): SubflowCall[] {
  const calls: SubflowCall[] = [];
  for (const { task, path } of walkTasks(flow)) {
    if (!STARTS_A_FLOW.test(task.type)) continue;
    const { namespace, flowId } = task;
    if (typeof namespace !== 'string' || typeof flowId !== 'string' || namespace.includes('{{') || flowId.includes('{{')) continue;
    calls.push({ taskId: task.id, path: [...path, 'flowId'], namespace, flowId });
  }
  return calls;
}
