/**
 * A notebook's cells: the flow's tasks in document order, each with its explanation,
 * editor, note, latest run and staleness.
 */
import type { FlowSpec, ParsedFlow, RawTask } from '../flow';
import { walkTasks } from '../flow';
import { notesBefore, taskText } from '../flow/edit';
import { getTaskDefinition } from '../tasks/registry';
import { outputReferences } from '../flow/lineage';
import type { CellDto, CellEditorDto, TaskRun } from '../contract';
import type { Staleness } from './staleness';
import { readInputs } from '../flow/validate-inputs';

/** Its cell offers a Resume form built from its `onResume` inputs (their issues show with the flow's). */
const PAUSE_TYPE = 'io.kestra.plugin.core.flow.Pause';

/** The latest run of a task, plus the hashes recorded when it ran. */
export interface LatestRun {
  taskRun: TaskRun;
  sourceHash?: string;
  contextHash?: string;
}

/** Task ids whose outputs this task's own properties read (children excluded), once each. */
function outputsUsedBy(task: RawTask, flow: FlowSpec): string[] {
  return [...new Set(outputReferences(task, flow.variables).map((r) => r.taskId))].filter((id) => id !== task.id);
}

function editorOf(task: RawTask): CellEditorDto | undefined {
  const def = getTaskDefinition(task.type);
  if (!def?.editor) return undefined;
  const value = task[def.editor.property];
  const code = Array.isArray(value) ? value.map((v) => String(v)).join('\n') : value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return { property: def.editor.property, language: def.editor.language, code };
}

/** `staleness`: one verdict per task id (lib/notebooks/staleness.ts); cells without one are fresh. */
export function buildCells(parsed: ParsedFlow, flow: FlowSpec, latest: ReadonlyMap<string, LatestRun>, staleness: ReadonlyMap<string, Staleness>): CellDto[] {
  const locations = walkTasks(flow);
  const uses = new Map(locations.map((l) => [l.task.id, outputsUsedBy(l.task, flow)]));

  return locations.map((l) => {
    const def = getTaskDefinition(l.task.type);
    const verdict = staleness.get(l.task.id) ?? { stale: false };
    const run = latest.get(l.task.id);
    const usedBy = locations.filter((o) => uses.get(o.task.id)?.includes(l.task.id)).map((o) => o.task.id);
    return {
      taskId: l.task.id,
      type: l.task.type,
      title: def?.title ?? 'Task not supported locally',
      explanation: def?.description ?? `Flowbook has no local implementation of ${l.task.type}; it is kept in the YAML as written and fails only if it is run.`,
      path: l.path,
      depth: l.depth,
      parentId: l.parentId,
      branch: l.branch,
      kind: def?.kind ?? 'unknown',
      source: taskText(parsed, l.task.id),
      editor: editorOf(l.task),
      note: notesBefore(parsed, l.task.id),
      run: run?.taskRun,
      stale: verdict.stale,
      staleReason: verdict.stale ? verdict.reason : undefined,
      usesOutputsOf: uses.get(l.task.id) ?? [],
      usedBy,
      disabled: l.task.disabled === true,
      ...(def?.type === PAUSE_TYPE ? { onResume: readInputs(l.task.onResume, { error: () => undefined }, []) } : {}),
    } satisfies CellDto;
  });
}
