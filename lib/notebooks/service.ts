/**
 * Notebooks: a saved flow YAML with a version counter. Every write parses first and
 * saves nothing when the result has errors, so a failed save never loses the notebook.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { exportFlow, hasErrors, type ParsedFlow } from '../flow';
import { parseFlow } from '../tasks/catalog';
import { insertTask, removeTask, replaceTask, setNoteBefore, setTaskProperty } from '../flow/edit';
import { getTaskDefinition } from '../tasks/registry';
import { walkTasks } from '../flow';
import type { Db, Notebook } from '../db/client';
import { Problem } from '../model/problem';
import type { NotebookDto, NotebookSummary, PatchCellRequest } from '../contract';
import type { State } from '../model/states';
import { analyseNotebook } from './analysis';

export const EMPTY_NOTEBOOK_YAML = `id: my_flow
namespace: company.team

tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: Hello, World!
`;

const FLOW_ORDER = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export class NotebookService {
  constructor(private readonly db: Db) {}

  /** In flow order: by flow id (01_… before 02_…, numbers compared as numbers), then namespace, then oldest first (a duplicate after its original). */
  async list(opts: { q?: string; deleted?: boolean } = {}): Promise<NotebookSummary[]> {
    const rows = await this.db.notebook.findMany({
      where: opts.deleted ? { deletedAt: { not: null } } : { deletedAt: null },
      orderBy: { createdAt: 'asc' },
      include: { executions: { orderBy: { startDate: 'desc' }, take: 1, select: { id: true, state: true, startDate: true } } },
    });
    const q = opts.q?.trim().toLowerCase();
    // Filtered here rather than in SQL: case-insensitive `contains` differs between providers.
    const matches = q ? rows.filter((r) => [r.flowId, r.namespace, r.name ?? '', r.description ?? ''].some((s) => s.toLowerCase().includes(q))) : rows;
    // Sorted here too: SQL collations order "10_x" before "9_x" and differ between providers. The sort is stable, so equal keys stay oldest first.
    matches.sort((a, b) => FLOW_ORDER.compare(a.flowId, b.flowId) || FLOW_ORDER.compare(a.namespace, b.namespace));
    return matches.map((r) => ({
      id: r.id,
      ...(r.name ? { name: r.name } : {}),
      flowId: r.flowId,
      namespace: r.namespace,
      description: r.description ?? undefined,
      updatedAt: r.updatedAt.toISOString(),
      deleted: r.deletedAt !== null,
      lastExecution: r.executions[0] && { id: r.executions[0].id, state: r.executions[0].state as State, startDate: r.executions[0].startDate.toISOString() },
    }));
  }

  async row(id: string): Promise<Notebook> {
    const row = await this.db.notebook.findUnique({ where: { id } });
    if (!row) throw Problem.notFound(`notebook ${id}`);
    return row;
  }

  async get(id: string): Promise<NotebookDto> {
    return this.toDto(await this.row(id));
  }

  async create(yaml: string, opts: { sampleKey?: string } = {}): Promise<{ id: string }> {
    const parsed = parseValid(yaml);
    const flow = parsed.flow as NonNullable<ParsedFlow['flow']>;
    const id = randomUUID();
    await this.db.notebook.create({
      data: { id, flowId: flow.id, namespace: flow.namespace, description: flow.description ?? null, yaml, originalYaml: yaml, sampleKey: opts.sampleKey ?? null },
    });
    return { id };
  }

  async update(id: string, yaml: string, version: number): Promise<NotebookDto> {
    const current = await this.row(id);
    if (current.version !== version) {
      throw new Problem('conflict', `notebook ${id} was saved elsewhere (version ${current.version}, you edited version ${version}): reload it`);
    }
    return this.save(current, parseValid(yaml));
  }

  /** With `patch.version`, refused (conflict) unless that is still the notebook's version. */
  async patchCell(id: string, taskId: string, patch: PatchCellRequest): Promise<NotebookDto> {
    const current = await this.row(id);
    if (patch.version !== undefined && patch.version !== current.version) {
      throw new Problem('conflict', `cell ${taskId} was not saved: the notebook was saved elsewhere since you opened it (version ${current.version}, you edited version ${patch.version})`);
    }
    const parsed = parseFlow(current.yaml);
    const task = parsed.flow && walkTasks(parsed.flow).find((l) => l.task.id === taskId)?.task;
    if (!task) throw Problem.notFound(`cell ${taskId} in notebook ${id}`);
    let next: ParsedFlow;
    try {
      if ('code' in patch) {
        const editor = getTaskDefinition(task.type)?.editor;
        if (!editor) throw new Problem('unprocessable', `cell ${taskId} (${task.type}) has no code editor: edit its YAML source instead`);
        const old = task[editor.property];
        const value = Array.isArray(old) ? patch.code.split('\n') : patch.code;
        next = setTaskProperty(parsed, taskId, editor.property, value);
      } else if ('source' in patch) {
        next = replaceTask(parsed, taskId, patch.source);
      } else {
        next = setNoteBefore(parsed, taskId, patch.note === null || patch.note.trim() === '' ? null : patch.note);
      }
    } catch (err) {
      throw editProblem(err);
    }
    return this.save(current, requireValid(next));
  }

  async insertCell(id: string, afterTaskId: string | null, source: string): Promise<NotebookDto> {
    const current = await this.row(id);
    let next: ParsedFlow;
    try {
      next = insertTask(parseFlow(current.yaml), afterTaskId, source);
    } catch (err) {
      throw editProblem(err);
    }
    return this.save(current, requireValid(next));
  }

  async deleteCell(id: string, taskId: string): Promise<NotebookDto> {
    const current = await this.row(id);
    let next: ParsedFlow;
    try {
      next = removeTask(parseFlow(current.yaml), taskId);
    } catch (err) {
      throw editProblem(err);
    }
    return this.save(current, requireValid(next));
  }

  /** A copy named "<name> (copy)", or "(copy 2)", "(copy 3)"… when that name is taken; in a course, it sits right after the original. */
  async duplicate(id: string): Promise<{ id: string }> {
    const current = await this.row(id);
    const copy = randomUUID();
    const base = `${(current.name ?? current.flowId).replace(/ \(copy(?: \d+)?\)$/, '')} (copy`;
    const taken = new Set(
      (await this.db.notebook.findMany({ where: { namespace: current.namespace, flowId: current.flowId, deletedAt: null }, select: { name: true } })).map((r) => r.name),
    );
    let name = `${base})`;
    for (let n = 2; taken.has(name); n++) name = `${base} ${n})`;
    await this.db.notebook.create({
      data: {
        id: copy,
        name,
        flowId: current.flowId,
        namespace: current.namespace,
        description: current.description,
        yaml: current.yaml,
        originalYaml: current.yaml,
        collectionId: current.collectionId,
        position: current.position,
        notes: current.notes,
      },
    });
    return { id: copy };
  }

  async remove(id: string): Promise<void> {
    await this.row(id);
    await this.db.notebook.update({ where: { id }, data: { deletedAt: new Date() } });
  }

  async restore(id: string): Promise<void> {
    await this.row(id);
    await this.db.notebook.update({ where: { id }, data: { deletedAt: null } });
  }

  async exportYaml(id: string): Promise<{ yaml: string; fileName: string }> {
    const row = await this.row(id);
    return { yaml: row.yaml, fileName: `${row.namespace}.${row.flowId}.yaml` };
  }

  /** Imports every `<dir>/*.yaml` once (by file name) as a sample notebook. */
  async seed(dir: string): Promise<{ imported: string[]; skipped: { file: string; error: string }[] }> {
    const imported: string[] = [];
    const skipped: { file: string; error: string }[] = [];
    if (!fs.existsSync(dir)) return { imported, skipped };
    for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const sampleKey = `flows/${file}`;
      if (await this.db.notebook.findUnique({ where: { sampleKey } })) continue;
      try {
        await this.create(fs.readFileSync(path.join(dir, file), 'utf8'), { sampleKey });
        imported.push(file);
      } catch (err) {
        skipped.push({ file, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return { imported, skipped };
  }

  /** Writes only if nobody saved in between (compare-and-swap on the version). */
  private async save(current: Notebook, parsed: ParsedFlow): Promise<NotebookDto> {
    const flow = parsed.flow as NonNullable<ParsedFlow['flow']>;
    const yaml = exportFlow(parsed);
    const res = await this.db.notebook.updateMany({
      where: { id: current.id, version: current.version },
      data: { yaml, flowId: flow.id, namespace: flow.namespace, description: flow.description ?? null, version: current.version + 1, updatedAt: new Date() },
    });
    if (res.count === 0) throw new Problem('conflict', `notebook ${current.id} was saved elsewhere meanwhile: reload it`);
    return this.get(current.id);
  }

  async toDto(row: Notebook): Promise<NotebookDto> {
    const parsed = parseFlow(row.yaml);
    const flow = parsed.flow;
    const analysis = flow ? await analyseNotebook(this.db, row.id, parsed, flow) : undefined;
    return {
      id: row.id,
      ...(row.name ? { name: row.name } : {}),
      yaml: row.yaml,
      originalYaml: row.originalYaml,
      version: row.version,
      updatedAt: row.updatedAt.toISOString(),
      deleted: row.deletedAt !== null,
      flow: flow && {
        id: flow.id,
        namespace: flow.namespace,
        description: flow.description,
        labels: flow.labels,
        inputs: flow.inputs,
        triggers: flow.triggers,
      },
      issues: parsed.issues,
      cells: analysis?.cells ?? [],
      dataTrace: analysis?.dataTrace ?? { sources: [], targets: [] },
      topology: analysis?.topology ?? { nodes: [], edges: [] },
    };
  }
}

function parseValid(yaml: string): ParsedFlow {
  if (typeof yaml !== 'string' || yaml.trim() === '') throw new Problem('unprocessable', 'the flow YAML is empty');
  return requireValid(parseFlow(yaml));
}

function requireValid(parsed: ParsedFlow): ParsedFlow {
  if (!parsed.flow || hasErrors(parsed.issues)) throw Problem.invalidYaml(parsed.issues);
  return parsed;
}

function editProblem(err: unknown): Error {
  if (err instanceof Problem) return err;
  if (err instanceof Error && err.name === 'FlowEditError') return new Problem('unprocessable', err.message, {}, { cause: err });
  return err instanceof Error ? err : new Error(String(err));
}
