/**
 * Which tasks read `trigger.*` (the date a Schedule trigger fired at), read from the YAML
 * without rendering. A run started by hand has no trigger, so such a task fails; finding it
 * first lets Flowbook say what to do instead of Pebble's "Missing variable: 'trigger'".
 */
import { walkTasks } from './walk';
import { childPropertyNames } from './children';
import { renderedVarsIn, stringsIn, templateBlocks } from './template-refs';
import type { FlowSpec, RawTask } from './types';

/** `trigger.date`, `trigger['next']`, `schedule.date` (Kestra's older name); not `my_trigger.date`. */
const TRIGGER_READ = /(?<![\w.])(trigger|schedule)\s*(?:\.\s*([A-Za-z_]\w*)|\[\s*(['"])([^'"]+)\3\s*\])/;
/** An expression that copes with a missing trigger (`trigger.date ?? execution.startDate`, `is defined`, `default(…)`). */
const GUARDED = /\?\?|\bis\s+(?:not\s+)?(?:defined|null)\b|\|\s*default\b/;

export interface TriggerRead {
  /** The task whose template reads it. */
  taskId: string;
  /** As written, normalised: `trigger.date`. */
  expression: string;
}

/** The first read of `trigger.*` in one expression that does not cope with a missing trigger. */
export function triggerReadIn(expression: string): string | undefined {
  if (GUARDED.test(expression)) return undefined;
  const m = TRIGGER_READ.exec(expression);
  return m ? `${m[1]}.${m[2] ?? m[4]}` : undefined;
}

/** The first unguarded `trigger.*` read of one task, following `render(vars.x)` into the flow's variables. */
export function taskTriggerRead(task: RawTask, variables: Record<string, unknown> = {}): string | undefined {
  const seen = new Set<string>();
  const scan = (texts: string[]): string | undefined => {
    for (const text of texts) {
      for (const block of templateBlocks(text)) {
        const read = triggerReadIn(block);
        if (read) return read;
        for (const name of renderedVarsIn(block)) {
          if (seen.has(name) || !(name in variables)) continue;
          seen.add(name);
          const inVar = scan(stringsIn(variables[name]));
          if (inVar) return inVar;
        }
      }
    }
    return undefined;
  };
  return scan(stringsIn(task, childPropertyNames(task)));
}

/**
 * The first task among `tasks` (children included, in document order) that reads
 * `trigger.*` without a fallback; undefined when none does.
 */
export function firstTriggerRead(flow: FlowSpec, tasks: readonly RawTask[] = flow.tasks): TriggerRead | undefined {
  for (const { task } of walkTasks({ ...flow, tasks: [...tasks], errors: [], finally: [] })) {
    const expression = taskTriggerRead(task, flow.variables);
    if (expression) return { taskId: task.id, expression };
  }
  return undefined;
}
