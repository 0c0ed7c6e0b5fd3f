/**
 * The PostgreSQL the server can start on request (Settings, or the notebook's banner when a
 * cell cannot reach `pgdatabase`), set up as the course's docker-compose sets up its
 * `pgdatabase` service (user root, password root, database ny_taxi), so flows written for it
 * run unchanged. Whoever owns it (the server's app) maps the alias while it runs and stops it
 * when the server stops.
 */
import { Problem } from '../model/problem';
import { embeddedDataDir, startEmbeddedPostgres, type EmbeddedPostgresServer } from './embedded';

/** The docker-compose service name the course's flows connect to. */
export const COURSE_POSTGRES_ALIAS = 'pgdatabase';
export const COURSE_POSTGRES_PORT = 5432;
const COURSE_CREDENTIALS = { user: 'root', password: 'root', database: 'ny_taxi' } as const;

export interface BuiltinPostgresStatus {
  state: 'stopped' | 'starting' | 'running' | 'failed';
  port: number;
  alias: string;
  user: string;
  password: string;
  database: string;
  url?: string;
  jdbcUrl?: string;
  error?: string;
}

export interface BuiltinPostgresOptions {
  /** Flowbook's data directory; the cluster lives in `<dataDir>/postgres`, as the CLI's does. */
  dataDir: string;
  /** The port a start without one uses (default 5432, as in the course). */
  defaultPort?: number;
  /** Told of every change of state, e.g. to point the alias at the server while it runs. */
  onChange?: (status: BuiltinPostgresStatus) => void;
  /** Stands in for startEmbeddedPostgres in tests. */
  start?: typeof startEmbeddedPostgres;
}

export class BuiltinPostgres {
  private state: BuiltinPostgresStatus['state'] = 'stopped';
  private port: number;
  private server?: EmbeddedPostgresServer;
  private error?: string;
  private pending?: Promise<BuiltinPostgresStatus>;
  private stopping = false;

  constructor(private readonly opts: BuiltinPostgresOptions) {
    this.port = opts.defaultPort ?? COURSE_POSTGRES_PORT;
  }

  status(): BuiltinPostgresStatus {
    return {
      state: this.state,
      port: this.port,
      alias: COURSE_POSTGRES_ALIAS,
      ...COURSE_CREDENTIALS,
      ...(this.server ? { url: this.server.url, jdbcUrl: this.server.jdbcUrl } : {}),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  /** Starts it (on `port`, else the last port used); a second call while it starts waits for the first. */
  async start(port?: number): Promise<BuiltinPostgresStatus> {
    if (this.pending) return this.pending;
    if (this.state === 'running') {
      if (port === undefined || port === this.port) return this.status();
      throw new Problem('conflict', `the built-in PostgreSQL already runs on port ${this.port}: stop it before starting it on port ${port}`);
    }
    if (port !== undefined) this.port = port;
    this.pending = this.launch(this.port).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async launch(port: number): Promise<BuiltinPostgresStatus> {
    this.set('starting');
    let server: EmbeddedPostgresServer;
    try {
      server = await (this.opts.start ?? startEmbeddedPostgres)({ dataDir: embeddedDataDir(this.opts.dataDir), port, grantSearch: [this.opts.dataDir], ...COURSE_CREDENTIALS });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.set('failed', message);
      const portTaken = err instanceof Error && (err as Error & { reason?: string }).reason === 'port-in-use';
      throw new Problem(portTaken ? 'conflict' : 'unavailable', message, {}, { cause: err });
    }
    this.server = server;
    this.set('running');
    void server.exited.then(() => {
      // Stopped by us, or gone on its own (killed, crashed): either way it no longer serves.
      if (this.server !== server) return;
      this.server = undefined;
      if (this.stopping) this.set('stopped');
      else this.set('failed', `PostgreSQL on port ${port} stopped unexpectedly`);
    });
    return this.status();
  }

  /** Stops it if it runs; waits for a start in progress first. */
  async stop(): Promise<BuiltinPostgresStatus> {
    await this.pending?.catch(() => undefined);
    const server = this.server;
    if (!server) {
      if (this.state !== 'failed') this.set('stopped');
      return this.status();
    }
    this.stopping = true;
    try {
      await server.stop();
      await server.exited;
    } finally {
      this.stopping = false;
      this.server = undefined;
      this.set('stopped');
    }
    return this.status();
  }

  private set(state: BuiltinPostgresStatus['state'], error?: string): void {
    this.state = state;
    this.error = error;
    this.opts.onChange?.(this.status());
  }
}
