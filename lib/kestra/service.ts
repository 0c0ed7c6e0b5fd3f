/**
 * Flowbook's Kestra features for the app: saved servers, deploy with a diff first, runs on a
 * server watched from the notebook, and the git layout export and import. One object built by
 * the composition root; route handlers call it.
 */
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Db } from '../db/client';
import type { EventBus } from '../engine';
import { Problem, isProblem } from '../model/problem';
import type { DeployPlanDto, DeployRequest, ExportLayoutDto, ExportLayoutRequest, ImportLayoutDto, ImportLayoutRequest, KestraCheckDto } from '../contract';
import { layoutArchive } from './archive';
import { KestraApiError, KestraClient, type KestraTarget } from './client';
import { deploy } from './deploy';
import { commitLayout, GitError } from './git';
import { LayoutError, planLayout, rootNamespace, type LayoutEntry, type LayoutSkip } from './layout';
import { readLayout, writeLayout } from './layout-fs';
import { StorageNamespaceFiles, type NamespaceFileSource } from './namespace-files';
import { importLayout, notebookFlows } from './notebook-flows';
import { RemoteRunService } from './remote-run';
import { KestraServerStore, kestraProblem } from './servers';

export interface KestraServiceOptions {
  db: Db;
  /** The secrets' encryption key: saved credentials are encrypted with it. */
  key: Buffer;
  secrets: { get(name: string): string | undefined };
  env: Readonly<Record<string, string | undefined>>;
  /** Internal storage, where namespace files live (`kestra:///<ns>/_files/…`). */
  storageDir: string;
  bus: EventBus;
  uploads?: { resolve(notebookId: string, inputId: string, token: string): string };
  pollMs?: number;
  clientFor?: (target: KestraTarget) => KestraClient;
}

/** A layout or git failure is the request's problem, told in its own words. */
function layoutProblem(err: unknown): unknown {
  if (err instanceof LayoutError || err instanceof GitError) return new Problem('unprocessable', err.message, {}, { cause: err });
  return err;
}

function absoluteDir(dir: string, what: string): string {
  if (!path.isAbsolute(dir)) throw new Problem('invalid', `${what} must be an absolute folder path on the machine Flowbook runs on (got "${dir}")`);
  return path.resolve(dir);
}

export class KestraService {
  readonly servers: KestraServerStore;
  readonly runs: RemoteRunService;
  readonly namespaceFiles: NamespaceFileSource;
  private readonly clientFor: (target: KestraTarget) => KestraClient;

  constructor(private readonly opts: KestraServiceOptions) {
    this.servers = new KestraServerStore(opts.db, opts.key, { secret: (name) => opts.secrets.get(name), env: opts.env });
    this.clientFor = opts.clientFor ?? ((target) => new KestraClient(target));
    this.runs = new RemoteRunService({ db: opts.db, bus: opts.bus, servers: this.servers, uploads: opts.uploads, pollMs: opts.pollMs, clientFor: this.clientFor });
    this.namespaceFiles = new StorageNamespaceFiles(opts.storageDir);
  }

  async check(serverId: string): Promise<KestraCheckDto> {
    const { target } = await this.servers.resolve(serverId);
    const client = this.clientFor(target);
    try {
      await client.check();
      return { ok: true, message: `${client.label} answered, and accepted the credentials.` };
    } catch (err) {
      if (err instanceof KestraApiError) return { ok: false, message: err.message };
      throw err;
    }
  }

  async deploy(req: DeployRequest): Promise<DeployPlanDto> {
    if (!req.notebookId === !req.namespace) throw new Problem('invalid', 'deploy one notebook (notebookId) or one namespace (namespace)');
    const { server, target } = await this.servers.resolve(req.serverId);
    const { flows, skipped } = await notebookFlows(this.opts.db, { notebookId: req.notebookId, namespace: req.namespace });
    if (req.notebookId && flows.length === 0) throw Problem.notFound(`notebook ${req.notebookId}`);
    if (flows.length === 0) throw new Problem('not-found', `no notebook is in namespace ${req.namespace} or its children`);
    // Namespace files travel with a whole namespace; a single notebook's deploy brings its namespace's too.
    const namespaces = [...new Set(req.namespace ? [req.namespace] : flows.map((f) => f.namespace))];
    const files = (await Promise.all(namespaces.map((ns) => this.namespaceFiles.list(ns)))).flat();
    const dryRun = req.dryRun !== false;
    try {
      const result = await deploy(this.clientFor(target), flows, files, { dryRun });
      return { server: { id: server.id, name: server.name, url: server.url, tenant: server.tenant }, dryRun, items: result.items, skipped, ok: result.ok };
    } catch (err) {
      throw kestraProblem(err);
    }
  }

  /** The layout of a namespace's notebooks and files, with what had to be left out. */
  async layout(namespace: string): Promise<{ root: string; entries: LayoutEntry[]; skipped: LayoutSkip[] }> {
    const { flows, skipped } = await notebookFlows(this.opts.db, { namespace });
    if (flows.length === 0) throw new Problem('not-found', `no notebook is in namespace ${namespace} or its children`);
    try {
      const root = rootNamespace(flows.map((f) => f.namespace), namespace);
      const plan = planLayout(root, flows, await this.namespaceFiles.list(root));
      return { root, entries: plan.entries, skipped: [...skipped, ...plan.skipped] };
    } catch (err) {
      throw layoutProblem(err);
    }
  }

  async exportArchive(namespace: string): Promise<{ fileName: string; body: Readable }> {
    const { root, entries } = await this.layout(namespace);
    return { fileName: `${root}-kestra-git-layout.tar.gz`, body: layoutArchive(entries) };
  }

  async exportToDir(req: ExportLayoutRequest): Promise<ExportLayoutDto> {
    const dir = absoluteDir(req.outDir, 'outDir');
    const { root, entries, skipped } = await this.layout(req.namespace);
    try {
      // The whole namespace is exported: the folder mirrors it, flows deleted since are removed.
      const files = writeLayout(dir, entries, { prune: true });
      const commit = req.git ? await commitLayout(dir, root) : undefined;
      return {
        dir,
        rootNamespace: root,
        files,
        skipped,
        ...(commit?.committed && commit.sha && commit.message ? { commit: { sha: commit.sha, message: commit.message, initialised: commit.initialised } } : {}),
      };
    } catch (err) {
      if (isProblem(err)) throw err;
      throw layoutProblem(err);
    }
  }

  async importFromDir(req: ImportLayoutRequest): Promise<ImportLayoutDto> {
    const dir = absoluteDir(req.dir, 'dir');
    let layout;
    try {
      layout = readLayout(dir, { namespace: req.namespace });
    } catch (err) {
      throw layoutProblem(err);
    }
    return importLayout(this.opts.db, layout, this.namespaceFiles, { overwrite: req.overwrite });
  }

  async close(): Promise<void> {
    await this.runs.close();
  }
}
