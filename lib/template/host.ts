/** What rendering needs from the outside world: secrets, KV, internal storage, the clock, execution logs. */
import { Buffer } from 'node:buffer';
import { TemplateError } from './errors';

export interface TemplateHost {
  /** secret(key): value or throws TemplateError naming the key. The engine masks the returned value. */
  secret(key: string): string;
  /** kv(key, namespace?, errorOnMissing?) semantics of Kestra 1.x (errorOnMissing default true). */
  kv(key: string, namespace: string | undefined, errorOnMissing: boolean): unknown;
  /** read(uri): text of an internal-storage file. */
  read(uri: string): string;
  /** Time source for now(); and the default zone for date filters (Kestra: system default, we use this). */
  now(): Date;
  timeZone: string; // IANA id, default 'UTC'
  /**
   * errorLogs(): the current execution's ERROR log lines, oldest first, each a map shaped like
   * Kestra's LogEntry (`namespace`, `flowId`, `taskId`, `executionId`, `taskRunId`,
   * `attemptNumber`, `timestamp`, `level`, `message`...). Throws TemplateError where no
   * execution's logs are at hand.
   */
  errorLogs(): unknown[];
}

/**
 * A host for tests and tools: secrets come from `SECRET_<KEY>` environment variables,
 * base64-encoded, as in Kestra OSS (`SecretService`); KV and storage are unavailable.
 */
export function defaultHost(overrides: Partial<TemplateHost> = {}): TemplateHost {
  return {
    secret(key: string): string {
      const name = `SECRET_${key.toUpperCase()}`;
      const encoded = process.env[name];
      if (encoded === undefined) {
        throw new TemplateError(`Cannot find secret for key '${key}': set the environment variable ${name} (base64-encoded)`);
      }
      return Buffer.from(encoded, 'base64').toString('utf8');
    },
    kv(key: string): unknown {
      throw new TemplateError(`kv('${key}') is not available: this renderer has no KV store`);
    },
    read(uri: string): string {
      throw new TemplateError(`read('${uri}') is not available: this renderer has no internal storage`);
    },
    now: () => new Date(),
    timeZone: 'UTC',
    errorLogs(): unknown[] {
      throw new TemplateError('errorLogs() is not available: this renderer has no execution logs');
    },
    ...overrides,
  };
}
