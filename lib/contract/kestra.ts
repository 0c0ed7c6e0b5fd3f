/**
 * Wire shapes of Flowbook's Kestra features: saved Kestra servers, deploy plans, runs on a
 * Kestra server, and the git layout export and import. Types only.
 */

/** Where a server's password or token comes from. Its value never crosses the wire back. */
export type KestraCredentialView =
  /** Typed into Settings and kept encrypted with the secrets' key; `set` says whether one is saved. */
  | { from: 'stored'; set: boolean }
  /** A secret saved under Settings → Secrets; `set` says whether it exists now. */
  | { from: 'secret'; name: string; set: boolean }
  /** An environment variable of the Flowbook server; `set` says whether it is set now. */
  | { from: 'env'; name: string; set: boolean };

export type KestraAuthView = { kind: 'none' } | { kind: 'basic'; username: string; password: KestraCredentialView } | { kind: 'token'; token: KestraCredentialView };

export interface KestraServerDto {
  id: string;
  name: string;
  url: string;
  tenant: string;
  auth: KestraAuthView;
  updatedAt: string;
}

/** `value` is write-only: sent to save a new one, left out to keep the saved one. */
export type KestraCredentialInput = { from: 'stored'; value?: string } | { from: 'secret'; name: string } | { from: 'env'; name: string };

export type KestraAuthInput = { kind: 'none' } | { kind: 'basic'; username: string; password: KestraCredentialInput } | { kind: 'token'; token: KestraCredentialInput };

/** POST /api/kestra/servers, PUT /api/kestra/servers/:id */
export interface SaveKestraServerRequest {
  name: string;
  url: string;
  /** Default `main`, Kestra's tenant when it runs without multi-tenancy. */
  tenant?: string;
  auth: KestraAuthInput;
}

/** POST /api/kestra/servers/:id/check */
export interface KestraCheckDto {
  ok: boolean;
  message: string;
}

export interface KestraDiffLineDto {
  kind: 'same' | 'add' | 'del';
  text: string;
  oldLine?: number;
  newLine?: number;
}

export interface KestraDiffHunkDto {
  oldStart: number;
  newStart: number;
  lines: KestraDiffLineDto[];
}

export interface DeployItemDto {
  kind: 'flow' | 'namespace-file';
  namespace: string;
  /** The flow id, or the namespace file's path. */
  name: string;
  /** What applying does: nothing when the server already has exactly this. */
  action: 'create' | 'update' | 'unchanged';
  /** Against what the server has now (empty for unchanged; all added lines for create). */
  hunks: KestraDiffHunkDto[];
  /** Binary namespace files are compared, not diffed. */
  binary?: boolean;
  /** Kestra's own validation of the flow (dry run): why it would refuse it, and its warnings. */
  validation?: { error?: string; warnings: string[] };
  /** After applying: done, or Kestra's answer. */
  result?: { ok: true; revision?: number } | { ok: false; error: string };
}

/** POST /api/kestra/deploy */
export interface DeployRequest {
  serverId: string;
  /** One notebook's flow, or every notebook of a namespace (and its children). */
  notebookId?: string;
  namespace?: string;
  /** Compare and validate only (the default); false applies. */
  dryRun?: boolean;
}

export interface DeployPlanDto {
  server: { id: string; name: string; url: string; tenant: string };
  dryRun: boolean;
  items: DeployItemDto[];
  /** Notebooks left out (a second notebook of the same flow), with why. */
  skipped: { namespace: string; name: string; reason: string }[];
  /** Applied with every item done. */
  ok: boolean;
}

/** POST /api/kestra/runs */
export interface RemoteRunRequest {
  serverId: string;
  notebookId: string;
  /** The inputs form's values (input id → value); missing inputs take the flow's defaults on Kestra. */
  inputs?: Record<string, unknown>;
}

export interface RemoteRunDto {
  /** The execution's id, on Kestra and in Flowbook alike. */
  executionId: string;
  notebookId: string;
  serverId: string;
  serverName: string;
  /** The execution in Kestra's UI. */
  url: string;
  startedAt: string;
  /** Kestra's source differs from the notebook's YAML: the run shows what Kestra ran. */
  differsFromNotebook: boolean;
}

/** GET /api/kestra/export?namespace=NS → a .tar.gz of the layout; POST writes it into a folder. */
export interface ExportLayoutRequest {
  namespace: string;
  /** An absolute folder on the machine Flowbook runs on. */
  outDir: string;
  /** Commit the result with git in that folder. */
  git?: boolean;
}

export interface ExportLayoutDto {
  dir: string;
  rootNamespace: string;
  files: { path: string; change: 'added' | 'updated' | 'unchanged' | 'removed' }[];
  skipped: { namespace: string; name: string; reason: string }[];
  commit?: { sha: string; message: string; initialised: boolean };
}

/** POST /api/kestra/import */
export interface ImportLayoutRequest {
  /** An absolute folder on the machine Flowbook runs on, holding `_flows/` (and `_files/`). */
  dir: string;
  /** Its root namespace, when the flows cannot tell it. */
  namespace?: string;
  /** Replace notebooks whose YAML differs (otherwise they are left as they are and reported). */
  overwrite?: boolean;
}

export interface ImportLayoutDto {
  rootNamespace: string;
  notebooks: { path: string; namespace: string; flowId: string; id?: string; change: 'created' | 'updated' | 'unchanged' | 'skipped'; reason?: string }[];
  files: { path: string; change: 'written' | 'unchanged' }[];
  /** Flows whose folder names another namespace than their YAML (SyncFlows would move them there). */
  warnings: string[];
}
