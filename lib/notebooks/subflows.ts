/**
 * The flows a Subflow or ForEachItem starts in the app: the notebooks saved here. Kestra has one
 * flow per namespace and id; when duplicates of a notebook share them, the original (the oldest
 * not deleted) is the flow, and its executions are stored as runs of that notebook.
 */
import { hasErrors } from '../flow';
import type { FlowResolver } from '../engine/subflows';
import type { Db } from '../db/client';
import { parseFlow } from '../tasks/catalog';
import { notebookOrigin } from './origin';

export function notebookFlows(db: Db): FlowResolver {
  return {
    searched: 'the notebooks of this Flowbook',
    async resolve({ namespace, flowId }) {
      const row = await db.notebook.findFirst({ where: { namespace, flowId, deletedAt: null }, orderBy: { createdAt: 'asc' } });
      if (!row) return undefined;
      const parsed = parseFlow(row.yaml);
      if (!parsed.flow || hasErrors(parsed.issues)) {
        // Kestra: "Cannot execute an invalid flow".
        throw new Error(`Cannot execute an invalid flow: notebook ${row.name ?? row.flowId} (${namespace}.${flowId}) has errors; open it to see them`);
      }
      return { flow: parsed.flow, origin: notebookOrigin({ notebookId: row.id, yaml: row.yaml, flow: parsed.flow, mode: 'all' }) };
    },
  };
}
