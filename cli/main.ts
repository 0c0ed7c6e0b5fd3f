/**
 * `flowbook` — run, validate and export Kestra flows headless, through the same engine
 * the notebook uses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { exportFlow, formatIssue, type FlowIssue } from '../lib/flow';
import type { ReferenceEnvironment } from '../lib/flow/references';
import { parseFlow } from '../lib/tasks/catalog';
import { LocalStorage } from '../lib/storage/storage';
import { KvStore } from '../lib/storage/kv';
import { Engine, MissingUpstreamError } from '../lib/engine';
import { loadConfig, ConfigError, type FlowbookConfig } from '../lib/config/config';
import { formatLogLine } from './log-format';
import { followPauses, isOnPause, ON_PAUSE } from './pauses';
import { isSuccessful } from '../lib/model/states';
import { ScheduleError } from '../lib/flow/schedule-calc';
import { firstTriggerRead } from '../lib/flow/trigger-refs';
import { isProblem } from '../lib/model/problem';
import { FlowDirError, FlowFiles } from './flow-files';
import type { FlowResolver } from '../lib/engine/subflows';

// What only some commands need (the report, backfill, the Kestra commands with their database
// client) loads when such a command runs, so `run` and `validate` start without it.
let kestraCli: typeof import('./kestra') | undefined;
async function kestra(): Promise<typeof import('./kestra')> {
  return (kestraCli ??= await import('./kestra'));
}

const USAGE = `Usage:
  flowbook run FILE [--input k=v]... [--trigger-date ISO] [--label k=v]... [--flows DIR]... [--json] [--storage DIR] [--report OUT.html]
                    [--on-pause wait|resume|fail] [--resume-input k=v]...
      At a Pause task: wait (default) waits for its pauseDuration or timeout, else until Ctrl+C;
      resume resumes it at once with the --resume-input values as its onResume inputs; fail fails it.
  flowbook validate [--strict] [--flows DIR]... FILE...
  flowbook export FILE
  flowbook export --out-dir DIR [--namespace NS] [--git] (FILE... | --all)
  flowbook import DIR [--namespace NS] [--out-dir DIR | --overwrite]
  flowbook course import (DIR | FILE.zip) [--replace-files]   (a course collection; see README)
  flowbook course list
  flowbook course export ID --out FILE.zip
  flowbook deploy --server URL [--tenant main] [--dry-run] [--user NAME] [--token-env VAR] (FILE... | DIR | --namespace NS)
  flowbook backfill FILE --start ISO [--end ISO] [--trigger ID] [--input k=v]... [--label k=v]... [--json]
  flowbook postgres start [--port N] [--dir DIR] [--user root] [--password root] [--database ny_taxi]

Environment: FLOWBOOK_DATA_DIR (default ./data), FLOWBOOK_HOST_ALIASES="pgdatabase=127.0.0.1:5432",
FLOWBOOK_DEFAULT_RUNNER=docker|process|auto, SECRET_<KEY> (base64),
FLOWBOOK_KESTRA_USER / FLOWBOOK_KESTRA_PASSWORD or FLOWBOOK_KESTRA_TOKEN (deploy).`;

class UsageError extends Error {}

function pairs(values: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} expects key=value, got "${v}"`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

function readFlowFile(file: string | undefined): { file: string; text: string } {
  if (!file) throw new UsageError('missing FILE');
  if (!fs.existsSync(file)) throw new UsageError(`${file}: no such file`);
  return { file, text: fs.readFileSync(file, 'utf8') };
}

/**
 * Prints every issue in file order; returns true when there are errors. With `strict`,
 * warnings count as errors and are printed as such.
 */
function reportIssues(parsed: ReturnType<typeof parseFlow>, file: string, strict = false): boolean {
  let errors = false;
  const byPosition = [...parsed.issues].sort((a, b) => (a.pos?.line ?? 0) - (b.pos?.line ?? 0) || (a.pos?.column ?? 0) - (b.pos?.column ?? 0));
  for (const found of byPosition) {
    const issue: FlowIssue = strict ? { ...found, severity: 'error' } : found;
    if (issue.severity === 'error') errors = true;
    process.stderr.write(`${formatIssue(issue, file)}\n`);
  }
  return errors || !parsed.flow;
}

/**
 * What a run here would find: secrets from `SECRET_<KEY>` variables (as the CLI's engine reads
 * them) and KV pairs in the data directory's store, so the reference check can tell a missing
 * `secret('…')` or `kv('…')` before the run.
 */
function referenceEnvironment(dataDir: string): ReferenceEnvironment {
  const kv = new KvStore(new LocalStorage(path.join(dataDir, 'storage')));
  return {
    hasSecret: (key) => process.env[`SECRET_${key.toUpperCase()}`] !== undefined,
    hasKv: (key, namespace, inherit) => {
      try {
        return (inherit ? kv.getInherited(namespace, key) : kv.get(namespace, key)).found;
      } catch {
        // A key the store refuses (bad characters) is not there.
        return false;
      }
    },
  };
}

/** The engine the CLI runs flows with: every log line goes to stderr as it is printed. */
function headlessEngine(config: FlowbookConfig, flows?: FlowResolver): Engine {
  const engine = new Engine({ dataDir: config.dataDir, hostAliases: config.hostAliases, flows });
  const color = process.stderr.isTTY === true;
  engine.bus.subscribe((event) => {
    if (event.kind === 'log') process.stderr.write(formatLogLine(event.log, color) + '\n');
  });
  return engine;
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      input: { type: 'string', multiple: true, short: 'i' },
      label: { type: 'string', multiple: true, short: 'l' },
      'trigger-date': { type: 'string' },
      json: { type: 'boolean', default: false },
      storage: { type: 'string' },
      'data-dir': { type: 'string' },
      report: { type: 'string' },
      flows: { type: 'string', multiple: true },
      'on-pause': { type: 'string', default: 'wait' },
      'resume-input': { type: 'string', multiple: true },
    },
  });
  const onPause = values['on-pause'];
  if (!isOnPause(onPause)) throw new UsageError(`--on-pause expects ${ON_PAUSE.join(', ')}, got "${onPause}"`);
  const resumeInputs = pairs(values['resume-input'], '--resume-input');
  if (values['resume-input'] !== undefined && onPause !== 'resume') throw new UsageError('--resume-input is for --on-pause resume');
  const { file, text } = readFlowFile(positionals[0]);
  const config = loadConfig({ dataDir: values.storage ?? values['data-dir'] });
  const parsed = parseFlow(text, referenceEnvironment(config.dataDir));
  const flowFiles = flowFilesFor(file, values.flows);
  parsed.issues.push(...flowFiles.missingChildren(parsed));
  if (reportIssues(parsed, file) || !parsed.flow) return 1;
  const engine = headlessEngine(config, flowFiles.resolver());
  // The report keeps each task's first lines as they are printed.
  const report = values.report !== undefined ? (await import('./report')).collectReport(engine, values.report) : undefined;
  const started = engine.start({
    flow: parsed.flow,
    inputs: pairs(values.input, '--input'),
    labels: pairs(values.label, '--label'),
    triggerDate: values['trigger-date'],
  });
  const stop = () => engine.cancel(started.id);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const unfollow = followPauses(engine, started.id, onPause, resumeInputs, (line) => process.stderr.write(line + '\n'));
  const result = await started.done;
  unfollow();
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  await report?.write(result, { flowYaml: text, namespace: parsed.flow.namespace, flowId: parsed.flow.id, triggerDate: values['trigger-date'] });
  if (values.json) {
    const out = {
      id: result.id,
      state: result.state,
      labels: result.labels,
      taskRuns: result.taskRuns.map((tr) => ({ taskId: tr.taskId, state: tr.state, ...(tr.value !== undefined ? { value: tr.value } : {}), outputs: tr.outputs ?? {} })),
      outputs: result.flowOutputs,
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    process.stderr.write(`${result.state}: execution ${result.id}\n`);
  }
  const read = values['trigger-date'] === undefined && result.state === 'FAILED' ? firstTriggerRead(parsed.flow) : undefined;
  if (read) {
    // Pebble only says "Missing variable: 'trigger'"; say what gives the flow one.
    process.stderr.write(`flowbook: this flow reads ${read.expression} (cell ${read.taskId}): run it with --trigger-date ISO, e.g. --trigger-date 2019-01-01T09:00:00Z (in the app: Run as trigger…)\n`);
  }
  return isSuccessful(result.state) && result.state !== 'SKIPPED' ? 0 : 1;
}

async function backfill(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      start: { type: 'string' },
      end: { type: 'string' },
      trigger: { type: 'string' },
      input: { type: 'string', multiple: true, short: 'i' },
      label: { type: 'string', multiple: true, short: 'l' },
      json: { type: 'boolean', default: false },
      storage: { type: 'string' },
    },
  });
  const { file, text } = readFlowFile(positionals[0]);
  if (!values.start) throw new UsageError('backfill needs --start (an ISO date-time)');
  const start = new Date(values.start);
  const end = values.end ? new Date(values.end) : new Date();
  if (Number.isNaN(start.getTime())) throw new UsageError(`--start "${values.start}" is not an ISO date-time`);
  if (Number.isNaN(end.getTime())) throw new UsageError(`--end "${values.end}" is not an ISO date-time`);
  const config = loadConfig({ dataDir: values.storage });
  const parsed = parseFlow(text, referenceEnvironment(config.dataDir));
  if (reportIssues(parsed, file) || !parsed.flow) return 1;
  const engine = headlessEngine(config);
  const { runBackfill } = await import('../lib/scheduler/backfill');
  const results = await runBackfill(engine, {
    flow: parsed.flow,
    start,
    end,
    triggerId: values.trigger,
    inputs: pairs(values.input, '--input'),
    labels: pairs(values.label, '--label'),
  });
  if (values.json) {
    process.stdout.write(JSON.stringify(results.map(({ slot, result }) => ({ triggerDate: slot.toISOString(), id: result.id, state: result.state, labels: result.labels })), null, 2) + '\n');
  } else {
    for (const { slot, result } of results) process.stderr.write(`${slot.toISOString()}  ${result.state.padEnd(9)} ${result.id}\n`);
  }
  return results.every(({ result }) => result.state === 'SUCCESS' || result.state === 'WARNING') ? 0 : 1;
}

/**
 * Validates every file given: errors and warnings (unknown task types, template references the
 * flow cannot satisfy) with file:line:column. Exit 1 when any file has an error, or with
 * `--strict` a warning.
 */
function validate(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { strict: { type: 'boolean', default: false }, flows: { type: 'string', multiple: true } } });
  if (positionals.length === 0) throw new UsageError('missing FILE');
  const environment = referenceEnvironment(loadConfig().dataDir);
  let failed = false;
  for (const name of positionals) {
    const { file, text } = readFlowFile(name);
    const parsed = parseFlow(text, environment);
    parsed.issues.push(...flowFilesFor(file, values.flows).missingChildren(parsed));
    if (reportIssues(parsed, file, values.strict) || !parsed.flow) {
      failed = true;
      continue;
    }
    const warnings = parsed.issues.filter((i) => i.severity === 'warning').length;
    const counted = warnings === 0 ? '' : `, ${warnings} warning${warnings === 1 ? '' : 's'}`;
    process.stdout.write(`${file}: valid flow ${parsed.flow.namespace}.${parsed.flow.id} (${parsed.flow.tasks.length} tasks${counted})\n`);
  }
  return failed ? 1 : 0;
}

/** The flow files a Subflow or ForEachItem of `file` may start: those beside it, then under each `--flows DIR`. */
function flowFilesFor(file: string, dirs: string[] | undefined): FlowFiles {
  try {
    return new FlowFiles(file, dirs ?? []);
  } catch (err) {
    if (err instanceof FlowDirError) throw new UsageError(err.message);
    throw err;
  }
}

function exportCmd(argv: string[]): number {
  const { file, text } = readFlowFile(argv[0]);
  const parsed = parseFlow(text);
  if (reportIssues(parsed, file)) return 1;
  process.stdout.write(exportFlow(parsed));
  return 0;
}

async function postgres(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'start') throw new UsageError('flowbook postgres start [--port N] [--dir DIR] [--user U] [--password P] [--database D]');
  const { values } = parseArgs({
    args: rest,
    options: {
      port: { type: 'string' },
      dir: { type: 'string' },
      // Defaults match the course's docker-compose (root/root, ny_taxi), so its flows connect unchanged.
      user: { type: 'string', default: 'root' },
      password: { type: 'string', default: 'root' },
      database: { type: 'string', default: 'ny_taxi' },
    },
  });
  const config = loadConfig();
  const port = values.port === undefined ? 5432 : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port expects a port number (1-65535), got "${values.port}"`);
  const { startEmbeddedPostgres } = await import('../lib/postgres/embedded');
  let pg: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  try {
    pg = await startEmbeddedPostgres({
      dataDir: values.dir ?? path.join(config.dataDir, 'postgres'),
      port,
      grantSearch: values.dir === undefined ? [config.dataDir] : [],
      user: values.user,
      password: values.password,
      database: values.database,
    });
  } catch (err) {
    if (err instanceof Error && (err as Error & { reason?: string }).reason === 'port-in-use') {
      process.stderr.write(`flowbook: ${err.message} with --port N\n`);
      return 1;
    }
    throw err;
  }
  process.stdout.write(`PostgreSQL is running: ${pg.url}\nJDBC: ${pg.jdbcUrl}\nAlias it for course flows: FLOWBOOK_HOST_ALIASES="pgdatabase=127.0.0.1:${pg.port}"\nPress Ctrl+C to stop.\n`);
  const ended = await new Promise<'signal' | 'exited'>((resolve) => {
    process.once('SIGINT', () => resolve('signal'));
    process.once('SIGTERM', () => resolve('signal'));
    void pg.exited.then(() => resolve('exited'));
  });
  if (ended === 'exited') {
    process.stderr.write(`flowbook: PostgreSQL on port ${pg.port} stopped unexpectedly\n`);
    return 1;
  }
  await pg.stop();
  return 0;
}

/** node:util parseArgs refuses an unknown option or a missing value with one of these codes: a usage error, not a crash. */
function isArgumentError(err: unknown): err is Error {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await run(rest);
      case 'validate':
        return validate(rest);
      case 'export':
        // With --out-dir: the git layout of one or more flows; without: one flow on stdout.
        return rest.some((a) => a === '--out-dir' || a.startsWith('--out-dir=')) ? await (await kestra()).exportLayoutCmd(rest) : exportCmd(rest);
      case 'import':
        return await (await kestra()).importLayoutCmd(rest);
      case 'deploy':
        return await (await kestra()).deployCmd(rest);
      case 'course':
        // Loaded on demand, as the Kestra commands are: it opens the database, which run and validate never do.
        return await (await import('./course')).courseCmd(rest);
      case 'backfill':
        return await backfill(rest);
      case 'postgres':
        return await postgres(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 1 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err instanceof Error && err.name === 'CourseUsageError') || (kestraCli && err instanceof kestraCli.KestraUsageError) || isArgumentError(err)) {
      process.stderr.write(`flowbook: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (kestraCli?.isKestraCliError(err) || err instanceof MissingUpstreamError || err instanceof ConfigError || err instanceof ScheduleError || (err instanceof Error && err.name === 'EmbeddedPostgresError') || (err instanceof Error && err.name === 'InputError') || isProblem(err)) {
      process.stderr.write(`flowbook: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
