/**
 * Everything the server runs, built once. server.ts creates it and installs it on
 * globalThis; route handlers (bundled separately by Next, in the same process) read it
 * from there, so there is one engine, one database client and one event queue.
 */
import path from 'node:path';
import { Engine } from '../engine';
import { EventBus } from '../engine/events';
import { openDatabase, type Database, type Db } from '../db/client';
import { openHotWriter } from '../db/hot-writer';
import type { DatabaseConfig } from '../db/config';
import { NotebookService } from '../notebooks/service';
import { RunService } from '../notebooks/runs';
import { UploadStore } from '../notebooks/uploads';
import { EventPersister, recoverAfterCrash, storedLogReader, type Broadcaster } from '../persistence';
import { endLeftovers } from '../runners/leftovers';
import { runsDirOf } from '../config/runner-limits';
import { SecretStore } from '../secrets/store';
import { loadOrCreateKey } from '../secrets/crypto';
import { openInput, sealInput } from '../secrets/inputs';
import { SettingsService } from '../settings/service';
import type { StatusDto } from '../contract';
import { Scheduler } from '../scheduler/scheduler';
import { NotebookScheduleSource } from '../notebooks/schedules';
import { ScheduleService } from '../notebooks/schedules-service';
import { InputValueService } from '../notebooks/input-values';
import { BuiltinPostgres, COURSE_POSTGRES_ALIAS } from '../postgres/builtin';
import { KestraService } from '../kestra/service';
import { notebookFlows } from '../notebooks/subflows';
import { NamespaceFileService } from '../notebooks/namespace-files';
import { CourseService } from '../courses/service';
import { StorageNamespaceFiles } from '../kestra/namespace-files';

export interface App {
  dataDir: string;
  database: Database;
  db: Db;
  engine: Engine;
  notebooks: NotebookService;
  runs: RunService;
  /** Files uploaded for FILE inputs, kept per notebook under the data dir. */
  uploads: UploadStore;
  persister: EventPersister;
  secrets: SecretStore;
  settings: SettingsService;
  /** Fires Schedule triggers of saved notebooks; server.ts starts it. */
  scheduler: Scheduler;
  /** A notebook's schedules: list, backfill, on/off. */
  schedules: ScheduleService;
  /** The values typed into each notebook's inputs form. */
  inputs: InputValueService;
  /** The PostgreSQL started from the app for `pgdatabase`; stopped by close(). */
  postgres: BuiltinPostgres;
  /** Kestra servers: saved servers, deploy, runs followed from the notebook, the git layout. */
  kestra: KestraService;
  /** Namespace files (`<namespace>/_files` in internal storage), edited from the notebook page. */
  namespaceFiles: NamespaceFileService;
  /** Course collections: ordered notebooks imported from a folder or .zip, exported back as one. */
  courses: CourseService;
  /** Set by server.ts once it listens. */
  bind?: string;
  version: string;
  status(): Promise<StatusDto>;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  dataDir: string;
  database: DatabaseConfig;
  /** Folder of sample flows imported once each; omit to seed nothing. */
  samplesDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
  version?: string;
  migrationsRoot?: string;
}

const SILENT: Broadcaster = { log() {}, taskRun() {}, state() {}, finished() {}, notebookExecution() {} };

export async function createApp(opts: CreateAppOptions): Promise<App> {
  const env = opts.env ?? process.env;
  const dataDir = path.resolve(opts.dataDir);
  const database = await openDatabase(opts.database, { migrationsRoot: opts.migrationsRoot });
  const db = database.db;
  // What a previous server left running (processes, containers, executions) ends before anything new starts.
  const recovered = await recoverAfterCrash(db, { dataDir, endLeftovers: () => endLeftovers(runsDirOf(dataDir)) });
  if (recovered.killed.length) console.warn(`flowbook: marked ${recovered.killed.length} execution(s) left running by a previous server as KILLED`);
  if (recovered.processes || recovered.containers) {
    console.warn(`flowbook: ended ${recovered.processes} process(es) and removed ${recovered.containers} container(s) left by a previous server`);
  }

  const secretKey = loadOrCreateKey(dataDir, env);
  const secrets = new SecretStore(db, secretKey);
  await secrets.load();
  const settings = new SettingsService(db, env);
  await settings.load();

  const bus = new EventBus();
  // Execution, task-run and log writes go through their own prepared statements (see lib/db/hot-writer.ts).
  const hot = await openHotWriter(opts.database);
  const persister = new EventPersister(hot, SILENT);
  const unsubscribe = persister.attach(bus);
  const engine = new Engine({
    dataDir,
    bus,
    hostAliases: settings.hostAliases,
    secrets: { get: (key: string) => secrets.get(key) },
    knownSecrets: () => secrets.allValues(),
    storedLogs: storedLogReader(db),
    sealSecretInput: (inputId, value) => sealInput(secretKey, inputId, value),
    // A Subflow starts the notebook with that namespace and flow id.
    flows: notebookFlows(db),
  });
  const notebooks = new NotebookService(db);
  const uploads = new UploadStore(dataDir);
  const runs = new RunService(db, engine, persister, notebooks, uploads);
  // Executions a previous server left waiting at a Pause wait here again (or go on, when their pauseDuration passed).
  await runs.continuePaused(recovered.paused, (inputId, value) => openInput(secretKey, inputId, value));
  const scheduler = new Scheduler(engine, new NotebookScheduleSource(db));
  const postgres = new BuiltinPostgres({
    dataDir,
    defaultPort: postgresPort(env.FLOWBOOK_POSTGRES_PORT),
    // While it runs, the course flows' `pgdatabase:5432` reaches it, whatever port it got.
    onChange: (s) => settings.setBuiltinAlias(COURSE_POSTGRES_ALIAS, s.state === 'running' ? `127.0.0.1:${s.port}` : undefined),
  });
  const kestra = new KestraService({ db, key: loadOrCreateKey(dataDir, env), secrets, env, storageDir: path.join(dataDir, 'storage'), bus, uploads });
  if (opts.samplesDir) {
    const seeded = await notebooks.seed(opts.samplesDir);
    for (const s of seeded.skipped) console.warn(`flowbook: sample ${s.file} not imported: ${s.error}`);
  }
  const courses = new CourseService(db, notebooks, new StorageNamespaceFiles(path.join(dataDir, 'storage')));
  // The sample notebooks show on the home page as one course, in file name order.
  if (opts.samplesDir) await courses.adoptSamples(opts.samplesDir);

  const app: App = {
    dataDir,
    database,
    db,
    engine,
    notebooks,
    runs,
    uploads,
    persister,
    secrets,
    settings,
    scheduler,
    schedules: new ScheduleService(db, engine, persister, notebooks),
    inputs: new InputValueService(db, notebooks, uploads),
    postgres,
    kestra,
    namespaceFiles: new NamespaceFileService(path.join(dataDir, 'storage')),
    courses,
    version: opts.version ?? '0.0.0',
    async status() {
      return {
        docker: await dockerStatus(),
        database: database.kind,
        bind: app.bind ?? 'not listening',
        version: app.version,
      };
    },
    async close() {
      scheduler.stop();
      // Runs on Kestra go on there; Flowbook only stops watching them.
      await kestra.close();
      for (const id of engine.running()) engine.cancel(id);
      await engine.drain();
      await persister.idle();
      unsubscribe();
      await hot.close();
      // The PostgreSQL this server started ends with it.
      await postgres.stop().catch((err: unknown) => console.error('flowbook: stopping the built-in PostgreSQL failed:', err));
      await database.close();
    },
  };
  return app;
}

function postgresPort(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`FLOWBOOK_POSTGRES_PORT must be a port number (1-65535), got "${text}"`);
  return port;
}

async function dockerStatus(): Promise<StatusDto['docker']> {
  try {
    // Loaded on demand: the status page must answer even where the Docker client cannot load.
    const docker = await import('../runners/docker');
    const answer = await docker.dockerAvailable();
    return answer.ok ? { ok: true, version: answer.version } : { ok: false, reason: answer.reason };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
