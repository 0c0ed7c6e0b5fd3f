/**
 * The `flowbook` commands that move flows to a Kestra server: `export --out-dir` (the git
 * layout Kestra's SyncFlows/SyncNamespaceFiles read), `import` (the reverse) and `deploy`
 * (through Kestra's REST API, with a diff first).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { exportFlow, formatIssue, hasErrors } from '../lib/flow';
import { parseFlow } from '../lib/tasks/catalog';
import { loadConfig } from '../lib/config/config';
import { databaseFromEnv } from '../lib/db/config';
import { openDatabase, type Database } from '../lib/db/client';
import {
  KestraApiError,
  KestraClient,
  LayoutError,
  GitError,
  StorageNamespaceFiles,
  commitLayout,
  deploy,
  importLayout,
  notebookFlows,
  planLayout,
  readLayout,
  rootNamespace,
  writeLayout,
  type FlowEntry,
  type KestraAuth,
  type NamespaceFileEntry,
  type DeployItemDto,
} from '../lib/kestra';

/** A mistake in how the command was called (exit 2). */
export class KestraUsageError extends Error {}

/** node:util's parseArgs, with its errors (an unknown option, a missing value) as usage errors. */
function args<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    if (err instanceof Error && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) throw new KestraUsageError(err.message);
    throw err;
  }
}

const REPO_ROOT = path.resolve(import.meta.dirname, '..');

/** The flows of FILE arguments, each exactly as `flowbook export FILE` prints it; errors exit 1. */
function flowsFromFiles(files: string[]): FlowEntry[] | undefined {
  const flows: FlowEntry[] = [];
  let failed = false;
  for (const file of files) {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new KestraUsageError(`${file}: no such file`);
    const parsed = parseFlow(fs.readFileSync(file, 'utf8'));
    for (const issue of parsed.issues.filter((i) => i.severity === 'error')) process.stderr.write(`${formatIssue(issue, file)}\n`);
    if (!parsed.flow || hasErrors(parsed.issues)) {
      failed = true;
      continue;
    }
    flows.push({ namespace: parsed.flow.namespace, id: parsed.flow.id, source: exportFlow(parsed) });
  }
  return failed ? undefined : flows;
}

/** The app's database (the same one the server uses), for commands that read or write notebooks. */
async function withDatabase<T>(dataDir: string, fn: (db: Database['db']) => Promise<T>): Promise<T> {
  const database = await openDatabase(databaseFromEnv(dataDir), { migrationsRoot: REPO_ROOT });
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

function storageDir(dataDir: string): string {
  return path.join(dataDir, 'storage');
}

function printSkipped(skipped: { namespace: string; name: string; reason: string }[]): void {
  for (const s of skipped) process.stderr.write(`flowbook: skipped ${s.namespace} ${s.name}: ${s.reason}\n`);
}

/** `flowbook export --out-dir DIR [--namespace NS] [--git] (FILE... | --all)` */
export async function exportLayoutCmd(argv: string[]): Promise<number> {
  const { values, positionals } = args({
    args: argv,
    allowPositionals: true,
    options: { 'out-dir': { type: 'string' }, namespace: { type: 'string' }, all: { type: 'boolean', default: false }, git: { type: 'boolean', default: false }, storage: { type: 'string' } },
  });
  const outDir = values['out-dir'];
  if (!outDir) throw new KestraUsageError('export --out-dir needs a directory');
  if (values.all === positionals.length > 0) throw new KestraUsageError('export --out-dir takes FILE... or --all (every notebook saved in the app), not both');
  const config = loadConfig({ dataDir: values.storage });
  let flows: FlowEntry[];
  let skipped: { namespace: string; name: string; reason: string }[] = [];
  if (values.all) {
    const found = await withDatabase(config.dataDir, (db) => notebookFlows(db, { namespace: values.namespace }));
    flows = found.flows;
    skipped = found.skipped;
    if (flows.length === 0) {
      process.stderr.write(`flowbook: no notebook${values.namespace ? ` in namespace ${values.namespace}` : ''} to export\n`);
      return 1;
    }
  } else {
    const read = flowsFromFiles(positionals);
    if (!read) return 1;
    flows = read;
  }
  const root = rootNamespace(flows.map((f) => f.namespace), values.namespace);
  const files = await new StorageNamespaceFiles(storageDir(config.dataDir)).list(root);
  const plan = planLayout(root, flows, files);
  // --all exports the whole namespace, so the folder mirrors it; FILE... adds to what is there.
  const written = writeLayout(outDir, plan.entries, { prune: values.all });
  for (const w of written) process.stdout.write(`${w.change.padEnd(9)} ${path.join(outDir, w.path)}\n`);
  printSkipped([...skipped, ...plan.skipped]);
  if (values.git) {
    const commit = await commitLayout(outDir, root);
    if (commit.initialised) process.stderr.write(`flowbook: created a git repository in ${outDir}\n`);
    if (commit.committed) process.stdout.write(`committed ${commit.sha?.slice(0, 12)} ${commit.message?.split('\n')[0]}\n`);
    else process.stdout.write('nothing to commit: the layout is unchanged\n');
  }
  return 0;
}

/** `flowbook import DIR [--namespace NS] [--out-dir DIR | --overwrite]` */
export async function importLayoutCmd(argv: string[]): Promise<number> {
  const { values, positionals } = args({
    args: argv,
    allowPositionals: true,
    options: { 'out-dir': { type: 'string' }, namespace: { type: 'string' }, overwrite: { type: 'boolean', default: false }, storage: { type: 'string' } },
  });
  const [dir] = positionals;
  if (!dir || positionals.length > 1) throw new KestraUsageError('import takes one directory (a Kestra git layout with _flows/ and _files/)');
  const config = loadConfig({ dataDir: values.storage });
  const layout = readLayout(dir, { namespace: values.namespace });
  const nsFiles = new StorageNamespaceFiles(storageDir(config.dataDir));
  const outDir = values['out-dir'];
  if (outDir) {
    // As flow files: `_flows/a/b/x.yml` becomes `OUT/a/b/x.yaml`, the text untouched.
    for (const flow of layout.flows) {
      const rel = flow.path.split('/').slice(1).join('/').replace(/\.ya?ml$/i, '.yaml');
      const target = path.join(outDir, ...rel.split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, flow.source);
      process.stdout.write(`wrote     ${target}\n`);
    }
    for (const f of layout.files) {
      await nsFiles.write(layout.root, f.namespacePath, f.content);
      process.stdout.write(`wrote     namespace file ${f.namespacePath} of ${layout.root}\n`);
    }
    return 0;
  }
  const result = await withDatabase(config.dataDir, (db) => importLayout(db, layout, nsFiles, { overwrite: values.overwrite }));
  for (const n of result.notebooks) process.stdout.write(`${n.change.padEnd(9)} ${n.namespace}.${n.flowId} (${n.path})${n.reason ? `: ${n.reason}` : ''}\n`);
  for (const f of result.files) process.stdout.write(`${f.change.padEnd(9)} ${f.path}\n`);
  for (const w of result.warnings) process.stderr.write(`flowbook: ${w}\n`);
  return result.notebooks.some((n) => n.change === 'skipped') ? 1 : 0;
}

/** Reads `SECRET_<KEY>` as the CLI's engine does (base64, as Kestra OSS keeps secrets in the environment). */
function cliSecret(key: string): string | undefined {
  const raw = process.env[`SECRET_${key.toUpperCase()}`];
  return raw === undefined ? undefined : Buffer.from(raw, 'base64').toString('utf8');
}

/**
 * Credentials from the environment or a secret only, never from an argument (which `ps` shows
 * to everyone). The variables are FLOWBOOK_ ones: KESTRA_* would reach templates as `envs.*`.
 */
function authFrom(values: { user?: string; 'password-env'?: string; 'password-secret'?: string; 'token-env'?: string; 'token-secret'?: string }): KestraAuth {
  const env = process.env;
  const fromEnv = (name: string, what: string) => {
    const v = env[name];
    if (v === undefined || v === '') throw new KestraUsageError(`${what}: environment variable ${name} is not set`);
    return v;
  };
  const fromSecret = (key: string, what: string) => {
    const v = cliSecret(key);
    if (v === undefined) throw new KestraUsageError(`${what}: secret ${key} is not set (SECRET_${key.toUpperCase()}, base64)`);
    return v;
  };
  if (values['token-env'] || values['token-secret']) {
    if (values.user) throw new KestraUsageError('give --user (basic auth) or a token, not both');
    return { kind: 'token', token: values['token-secret'] ? fromSecret(values['token-secret'], '--token-secret') : fromEnv(values['token-env'] ?? '', '--token-env') };
  }
  const user = values.user ?? env.FLOWBOOK_KESTRA_USER;
  if (user) {
    const password = values['password-secret'] ? fromSecret(values['password-secret'], '--password-secret') : fromEnv(values['password-env'] ?? 'FLOWBOOK_KESTRA_PASSWORD', `the password of ${user}`);
    return { kind: 'basic', username: user, password };
  }
  if (env.FLOWBOOK_KESTRA_TOKEN) return { kind: 'token', token: env.FLOWBOOK_KESTRA_TOKEN };
  return { kind: 'none' };
}

function paint(text: string, code: number, color: boolean): string {
  return color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function printItem(item: DeployItemDto, dryRun: boolean, color: boolean): void {
  const what = item.kind === 'flow' ? `flow ${item.namespace}.${item.name}` : `namespace file ${item.name} of ${item.namespace}`;
  const verb = item.action === 'unchanged' ? 'unchanged' : dryRun ? `would ${item.action}` : item.action;
  process.stdout.write(`${verb.padEnd(15)} ${what}\n`);
  if (item.binary && item.action !== 'unchanged') process.stdout.write('  (binary file: contents differ)\n');
  for (const h of item.hunks) {
    process.stdout.write(paint(`@@ -${h.oldStart} +${h.newStart} @@\n`, 36, color));
    for (const l of h.lines) {
      const sign = l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' ';
      process.stdout.write(paint(`${sign}${l.text}\n`, l.kind === 'add' ? 32 : l.kind === 'del' ? 31 : 0, color && l.kind !== 'same'));
    }
  }
  if (item.validation?.error) process.stdout.write(paint(`  Kestra would refuse it: ${item.validation.error}\n`, 31, color));
  for (const w of item.validation?.warnings ?? []) process.stdout.write(`  warning: ${w}\n`);
  if (item.result && !item.result.ok) process.stderr.write(`flowbook: ${what}: ${item.result.error}\n`);
}

/** `flowbook deploy --server URL [--tenant main] [--dry-run] (FILE... | DIR | --namespace NS)` */
export async function deployCmd(argv: string[]): Promise<number> {
  const { values, positionals } = args({
    args: argv,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      tenant: { type: 'string', default: 'main' },
      namespace: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      user: { type: 'string' },
      'password-env': { type: 'string' },
      'password-secret': { type: 'string' },
      'token-env': { type: 'string' },
      'token-secret': { type: 'string' },
      storage: { type: 'string' },
    },
  });
  if (!values.server) throw new KestraUsageError('deploy needs --server URL (e.g. --server http://localhost:8080)');
  if (positionals.length === 0 && !values.namespace) throw new KestraUsageError('deploy takes FILE..., a layout DIR, or --namespace NS (every notebook of it saved in the app)');
  const config = loadConfig({ dataDir: values.storage });
  const auth = authFrom(values);
  let flows: FlowEntry[] = [];
  let files: NamespaceFileEntry[] = [];
  const nsFiles = new StorageNamespaceFiles(storageDir(config.dataDir));
  if (positionals.length === 0) {
    const found = await withDatabase(config.dataDir, (db) => notebookFlows(db, { namespace: values.namespace }));
    printSkipped(found.skipped);
    flows = found.flows;
    if (flows.length === 0) {
      process.stderr.write(`flowbook: no notebook in namespace ${values.namespace} to deploy\n`);
      return 1;
    }
    files = await nsFiles.list(values.namespace ?? flows[0].namespace);
  } else {
    const dirs = positionals.filter((p) => fs.existsSync(p) && fs.statSync(p).isDirectory());
    for (const dir of dirs) {
      const layout = readLayout(dir, { namespace: values.namespace });
      for (const f of layout.flows) {
        const parsed = parseFlow(f.source);
        if (!parsed.flow || hasErrors(parsed.issues)) {
          for (const issue of parsed.issues.filter((i) => i.severity === 'error')) process.stderr.write(`${formatIssue(issue, path.join(dir, f.path))}\n`);
          return 1;
        }
        flows.push({ namespace: parsed.flow.namespace, id: parsed.flow.id, source: f.source });
      }
      files.push(...layout.files.map((f) => ({ namespace: layout.root, path: f.namespacePath, content: f.content })));
    }
    const read = flowsFromFiles(positionals.filter((p) => !dirs.includes(p)));
    if (!read) return 1;
    flows.push(...read);
  }
  const client = new KestraClient({ url: values.server, tenant: values.tenant ?? 'main', auth });
  const dryRun = values['dry-run'] === true;
  process.stdout.write(`${dryRun ? 'Comparing with' : 'Deploying to'} ${client.label}${auth.kind === 'none' ? '' : ` as ${auth.kind === 'basic' ? auth.username : 'the API token'}`}\n`);
  const result = await deploy(client, flows, files, { dryRun });
  const color = process.stdout.isTTY === true;
  for (const item of result.items) printItem(item, dryRun, color);
  const changed = result.items.filter((i) => i.action !== 'unchanged').length;
  const failed = result.items.filter((i) => i.result && !i.result.ok).length + (dryRun ? result.items.filter((i) => i.validation?.error).length : 0);
  process.stdout.write(
    dryRun
      ? `Dry run: ${changed} of ${result.items.length} would change; nothing was sent.${failed ? ` ${failed} would be refused.` : ''}\n`
      : `Deployed: ${result.items.filter((i) => i.result?.ok).length} changed, ${result.items.length - changed} unchanged${failed ? `, ${failed} failed` : ''}.\n`,
  );
  return result.ok ? 0 : 1;
}

/** Errors of these commands that are the user's to fix, printed as one line (exit 1). */
export function isKestraCliError(err: unknown): err is Error {
  return err instanceof KestraApiError || err instanceof LayoutError || err instanceof GitError || (err instanceof Error && err.name === 'StorageError');
}
