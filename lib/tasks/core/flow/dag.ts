/**
 * Kestra's Dag (core/.../plugin/core/flow/Dag.java): tasks wrapped as `{ task, dependsOn }`
 * start as soon as every task they depend on has ended, at most `concurrent` at once. After a
 * task fails no other task starts, as in Kestra's parallel resolution.
 */
import * as z from 'zod';
import { dynamic, lazily } from '../../schema';
import { type FlowableContext, type FlowableTaskDefinition, type RawTask } from '../../types';
import { finalState, type TerminalState } from '../../../model/states';
import { readProps } from '../props';
import { flowableSchema, rawTask, renderInt } from './common';

interface DagTask {
  task: RawTask;
  dependsOn?: string[];
}

const dagTask = z.object({
  task: rawTask.describe('The task within the DAG.'),
  dependsOn: z.array(z.string()).optional().describe('Ids of the tasks of this DAG that must have ended before this one starts.'),
});

/** Dependencies on ids that are not in the DAG (Dag.dagCheckNotExistTask). */
export function unknownDependencies(tasks: readonly DagTask[]): string[] {
  const ids = new Set(tasks.map((t) => t.task.id));
  return tasks.flatMap((t) => t.dependsOn ?? []).filter((id) => !ids.has(id));
}

/** Tasks that depend on themselves through their dependencies (Dag.dagCheckCyclicDependencies). */
export function cyclicTasks(tasks: readonly DagTask[]): string[] {
  const byId = new Map(tasks.map((t) => [t.task.id, t]));
  const reachable = (start: DagTask): Set<string> => {
    const seen = new Set<string>();
    const stack = [...(start.dependsOn ?? [])];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(byId.get(id)?.dependsOn ?? []));
    }
    return seen;
  };
  return tasks.filter((t) => t.dependsOn && reachable(t).has(t.task.id)).map((t) => t.task.id);
}

const properties = lazily(() =>
  flowableSchema(() => ({
    tasks: z.array(dagTask).min(1).describe('The tasks, each as `task` with the ids it `dependsOn`.'),
    concurrent: dynamic(z.number().int().min(0)).optional().describe('How many tasks may run at once; 0 (default) means no limit.'),
  }))().superRefine((dag, issue) => {
    // Kestra's DagTaskValidator.
    const missing = unknownDependencies(dag.tasks);
    if (missing.length > 0) issue.addIssue({ code: 'custom', path: ['tasks'], message: `Not existing task id in dependency: ${missing.join(', ')}` });
    else {
      const cyclic = cyclicTasks(dag.tasks);
      if (cyclic.length > 0) issue.addIssue({ code: 'custom', path: ['tasks'], message: `Cyclic dependency detected: ${cyclic.join(', ')}` });
    }
  }),
);

function runDag(ctx: FlowableContext, tasks: readonly DagTask[], concurrent: number): Promise<TerminalState> {
  return new Promise((resolve, reject) => {
    const ended = new Set<string>();
    const started = new Set<string>();
    const states: TerminalState[] = [];
    let running = 0;
    let failed = false;
    const pump = () => {
      if (!failed && !ctx.signal.aborted) {
        for (const t of tasks) {
          if (concurrent > 0 && running >= concurrent) break;
          if (started.has(t.task.id) || !(t.dependsOn ?? []).every((id) => ended.has(id))) continue;
          started.add(t.task.id);
          running++;
          ctx.runTasks([t.task]).then((state) => {
            running--;
            ended.add(t.task.id);
            states.push(state);
            if (state === 'FAILED' || state === 'KILLED' || state === 'CANCELLED') failed = true;
            pump();
          }, reject);
        }
      }
      if (running === 0) resolve(finalState(states));
    };
    pump();
  });
}

export const dag: FlowableTaskDefinition = {
  kind: 'flowable',
  type: 'io.kestra.plugin.core.flow.Dag',
  aliases: ['io.kestra.core.tasks.flows.Dag'],
  title: 'Run tasks by their dependencies',
  description:
    'Lists tasks with the tasks each one depends on, and runs every task as soon as its dependencies have ended, side by side when they do not depend on each other. Use it when steps form a graph rather than a line, for example two downloads that both feed one join; `concurrent` limits how many run at once.',
  properties,
  outputs: [],
  example: `id: dag
type: io.kestra.plugin.core.flow.Dag
tasks:
  - task:
      id: extract_yellow
      type: io.kestra.plugin.core.log.Log
      message: extract yellow
  - task:
      id: extract_green
      type: io.kestra.plugin.core.log.Log
      message: extract green
  - task:
      id: join
      type: io.kestra.plugin.core.log.Log
      message: join both
    dependsOn:
      - extract_yellow
      - extract_green`,
  async run(ctx) {
    const props = readProps(properties, ctx);
    // readProps refuses unknown dependencies and cycles with the validator's messages.
    const tasks: DagTask[] = props.tasks.map((t) => ({ task: t.task, dependsOn: t.dependsOn }));
    return runDag(ctx, tasks, renderInt(ctx, props.concurrent, 0, 'concurrent'));
  },
};
