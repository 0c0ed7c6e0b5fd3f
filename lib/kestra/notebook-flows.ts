/**
 * Notebooks as flows for export and deploy, and a layout read back into notebooks. A notebook's
 * YAML is its flow byte for byte (what `flowbook export` prints), so a round trip through a
 * layout gives back the same text.
 */
import type { Db } from '../db/client';
import { NotebookService } from '../notebooks/service';
import { isProblem } from '../model/problem';
import { parseFlow } from '../tasks/catalog';
import type { ImportLayoutDto } from '../contract';
import { isWithin, type FlowEntry, type LayoutSkip } from './layout';
import { declaredNamespace, type ReadLayout } from './layout-fs';
import type { NamespaceFileSource } from './namespace-files';

export interface NotebookFlow extends FlowEntry {
  notebookId: string;
}

/**
 * The saved notebooks of `namespace` and its children (or one notebook, or all). Two notebooks of
 * one flow (a duplicate) cannot both live in Kestra: the one saved last goes, the other is skipped.
 */
export async function notebookFlows(db: Db, filter: { namespace?: string; notebookId?: string } = {}): Promise<{ flows: NotebookFlow[]; skipped: LayoutSkip[] }> {
  const rows = await db.notebook.findMany({
    where: { deletedAt: null, ...(filter.notebookId ? { id: filter.notebookId } : {}) },
    orderBy: { updatedAt: 'desc' },
    select: { id: true, name: true, namespace: true, flowId: true, yaml: true },
  });
  const chosen = new Map<string, NotebookFlow>();
  const skipped: LayoutSkip[] = [];
  for (const row of rows) {
    if (filter.namespace && !isWithin(filter.namespace, row.namespace)) continue;
    const key = `${row.namespace}\u0000${row.flowId}`;
    const kept = chosen.get(key);
    if (kept) {
      skipped.push({ namespace: row.namespace, name: row.flowId, reason: `notebook "${row.name ?? row.flowId}" is another copy of flow ${row.namespace}.${row.flowId}; the one saved last is used` });
      continue;
    }
    chosen.set(key, { notebookId: row.id, namespace: row.namespace, id: row.flowId, source: row.yaml });
  }
  const flows = [...chosen.values()].sort((a, b) => (a.namespace === b.namespace ? (a.id < b.id ? -1 : 1) : a.namespace < b.namespace ? -1 : 1));
  return { flows, skipped };
}

/**
 * Puts a layout's flows back as notebooks: a flow with no notebook gets one, one whose notebook
 * has the same YAML is left alone, one whose notebook differs replaces it only with `overwrite`.
 * Namespace files go where `fileURI()` reads them.
 */
export async function importLayout(db: Db, layout: ReadLayout, files: NamespaceFileSource, opts: { overwrite?: boolean } = {}): Promise<ImportLayoutDto> {
  const notebooks = new NotebookService(db);
  const out: ImportLayoutDto = { rootNamespace: layout.root, notebooks: [], files: [], warnings: [] };
  for (const flow of layout.flows) {
    const parsed = parseFlow(flow.source);
    const spec = parsed.flow;
    const declared = declaredNamespace(flow.source);
    if (!spec) {
      out.notebooks.push({ path: flow.path, namespace: declared ?? flow.folderNamespace, flowId: '', change: 'skipped', reason: parsed.issues.find((i) => i.severity === 'error')?.message ?? 'not a flow' });
      continue;
    }
    if (spec.namespace !== flow.folderNamespace) {
      out.warnings.push(`${flow.path} declares namespace ${spec.namespace}, but its folder stands for ${flow.folderNamespace}: SyncFlows would put it in ${flow.folderNamespace}`);
    }
    const existing = await db.notebook.findFirst({ where: { deletedAt: null, namespace: spec.namespace, flowId: spec.id }, orderBy: { updatedAt: 'desc' } });
    const entry = { path: flow.path, namespace: spec.namespace, flowId: spec.id };
    try {
      if (!existing) {
        const { id } = await notebooks.create(flow.source);
        out.notebooks.push({ ...entry, id, change: 'created' });
      } else if (existing.yaml === flow.source) {
        out.notebooks.push({ ...entry, id: existing.id, change: 'unchanged' });
      } else if (opts.overwrite) {
        await notebooks.update(existing.id, flow.source, existing.version);
        out.notebooks.push({ ...entry, id: existing.id, change: 'updated' });
      } else {
        out.notebooks.push({ ...entry, id: existing.id, change: 'skipped', reason: 'the notebook differs from the file: import with overwrite to replace it' });
      }
    } catch (err) {
      if (!isProblem(err)) throw err;
      out.notebooks.push({ ...entry, change: 'skipped', reason: err.message });
    }
  }
  const current = new Map((await files.list(layout.root)).map((f) => [f.path, f.content]));
  for (const f of layout.files) {
    if (current.get(f.namespacePath)?.equals(f.content)) {
      out.files.push({ path: f.path, change: 'unchanged' });
      continue;
    }
    await files.write(layout.root, f.namespacePath, f.content);
    out.files.push({ path: f.path, change: 'written' });
  }
  return out;
}
