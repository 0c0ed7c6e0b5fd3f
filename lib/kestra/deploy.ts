/**
 * Deploying flows and namespace files to a Kestra server: compare each with what the server
 * has (a diff to show before anything changes), let Kestra validate the flows, then create or
 * update only what differs. A dry run stops after the comparison.
 */
import type { DeployItemDto } from '../contract';
import { KestraApiError, type KestraClient } from './client';
import { diffHunks } from './diff';
import type { FlowEntry, NamespaceFileEntry } from './layout';

export interface DeployResult {
  items: DeployItemDto[];
  ok: boolean;
}

/** Kestra keeps a flow's source as sent, give or take trailing blank space. */
function sameSource(a: string, b: string): boolean {
  return a.replace(/\s+$/, '') === b.replace(/\s+$/, '');
}

function isText(content: Buffer): boolean {
  if (content.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return true;
  } catch {
    return false;
  }
}

/** Errors that stop the whole deploy: nothing else can work with this server either. */
function fatal(err: unknown): boolean {
  return err instanceof KestraApiError && (err.kind === 'unauthorized' || err.kind === 'network' || err.kind === 'unexpected');
}

function failure(err: unknown): { ok: false; error: string } {
  return { ok: false, error: err instanceof Error ? err.message : String(err) };
}

export async function deploy(client: KestraClient, flows: readonly FlowEntry[], files: readonly NamespaceFileEntry[], opts: { dryRun: boolean }): Promise<DeployResult> {
  const items: DeployItemDto[] = [];
  const sources = new Map<DeployItemDto, string | Buffer>();

  // A namespace the server does not know fails its own items, not the others.
  const missing = new Map<string, string>();
  for (const ns of [...new Set([...flows.map((f) => f.namespace), ...files.map((f) => f.namespace)])].sort()) {
    try {
      await client.checkNamespace(ns);
    } catch (err) {
      if (err instanceof KestraApiError && err.kind === 'not-found') missing.set(ns, err.message);
      else throw err;
    }
  }

  for (const flow of flows) {
    const item: DeployItemDto = { kind: 'flow', namespace: flow.namespace, name: flow.id, action: 'create', hunks: [] };
    items.push(item);
    sources.set(item, flow.source);
    const absent = missing.get(flow.namespace);
    if (absent) {
      item.hunks = diffHunks('', flow.source);
      item.result = { ok: false, error: absent };
      continue;
    }
    const remote = await client.getFlow(flow.namespace, flow.id);
    if (remote && remote.source !== undefined && sameSource(remote.source, flow.source)) {
      item.action = 'unchanged';
    } else {
      item.action = remote ? 'update' : 'create';
      item.hunks = diffHunks(remote?.source ?? '', flow.source);
      if (opts.dryRun) {
        const verdict = await client.validateFlow(flow.namespace, flow.id, flow.source);
        if (verdict) {
          const warnings = [...(verdict.warnings ?? []), ...(verdict.deprecationPaths ?? []).map((p) => `${p} is deprecated`), ...(verdict.outdated ? ['an older revision than the server\'s'] : [])];
          item.validation = { ...(verdict.constraints ? { error: verdict.constraints } : {}), warnings };
        }
      }
    }
  }

  for (const file of files) {
    const text = isText(file.content);
    const item: DeployItemDto = { kind: 'namespace-file', namespace: file.namespace, name: file.path, action: 'create', hunks: [], ...(text ? {} : { binary: true }) };
    items.push(item);
    sources.set(item, file.content);
    const absent = missing.get(file.namespace);
    if (absent) {
      item.result = { ok: false, error: absent };
      continue;
    }
    const remote = await client.getNamespaceFile(file.namespace, file.path);
    if (remote && remote.equals(file.content)) {
      item.action = 'unchanged';
      continue;
    }
    item.action = remote ? 'update' : 'create';
    if (text && (!remote || isText(remote))) item.hunks = diffHunks(remote?.toString('utf8') ?? '', file.content.toString('utf8'));
  }

  if (!opts.dryRun) {
    for (const item of items) {
      if (item.action === 'unchanged' || item.result) continue;
      const content = sources.get(item);
      try {
        if (item.kind === 'flow' && typeof content === 'string') {
          const saved = item.action === 'create' ? await client.createFlow(item.namespace, item.name, content) : await client.updateFlow(item.namespace, item.name, content);
          item.result = { ok: true, ...(saved.revision !== undefined ? { revision: saved.revision } : {}) };
        } else if (item.kind === 'namespace-file' && Buffer.isBuffer(content)) {
          await client.putNamespaceFile(item.namespace, item.name, content);
          item.result = { ok: true };
        }
      } catch (err) {
        if (fatal(err)) throw err;
        item.result = failure(err);
      }
    }
  }
  const ok = items.every((i) => (i.result ? i.result.ok : opts.dryRun ? !i.validation?.error : true));
  return { items, ok };
}
