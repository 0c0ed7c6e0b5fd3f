/**
 * Wire shapes of a notebook's stored input values and of the built-in PostgreSQL, shared by
 * the server and the browser.
 */

/** GET/PUT /api/notebooks/:id/inputs: the values typed into the inputs form (input id → value). */
export interface NotebookInputsDto {
  /** Only inputs whose value differs from the YAML default; the others use the default. */
  values: Record<string, unknown>;
}

export interface SaveInputsRequest {
  values: Record<string, unknown>;
}

/** GET /api/postgres: the PostgreSQL Flowbook can start for flows written for docker-compose. */
export interface PostgresStatusDto {
  state: 'stopped' | 'starting' | 'running' | 'failed';
  /** The port it runs on (running, starting) or will start on (stopped, failed). */
  port: number;
  /** The host name flows use for it; Flowbook maps it to 127.0.0.1:port while it runs. */
  alias: string;
  user: string;
  password: string;
  database: string;
  /** postgres://… while it runs. */
  url?: string;
  jdbcUrl?: string;
  /** Why the last start failed, in words for the user. */
  error?: string;
}

export interface StartPostgresRequest {
  port?: number;
}
