/**
 * Connects Pebble functions that reach outside the template (secret, kv, read, errorLogs) to
 * the engine's stores, and registers every secret a template reads with the masker.
 */
import type { TemplateHost } from '../template';
import { TemplateError } from '../template';
import type { KvStore } from '../storage/kv';
import type { LocalStorage } from '../storage/storage';
import type { SecretMasker } from './secret-mask';

export interface SecretProvider {
  get(key: string): string | undefined;
}

/** Kestra OSS reads secrets from env vars SECRET_<KEY>, base64-encoded. */
export function envSecret(key: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env[`SECRET_${key.toUpperCase()}`];
  if (raw === undefined) return undefined;
  return Buffer.from(raw, 'base64').toString('utf8');
}

export interface TemplateHostParts {
  namespace: string;
  secrets?: SecretProvider;
  masker: SecretMasker;
  kv: KvStore;
  storage: LocalStorage;
  timeZone?: string;
  /**
   * The current execution's ERROR log lines, oldest first, as Kestra's LogEntry maps, for
   * errorLogs(). Without it (a host not bound to one execution) errorLogs() fails clearly.
   */
  errorLogs?: () => unknown[];
}

export function createTemplateHost(parts: TemplateHostParts): TemplateHost {
  return {
    secret(key: string): string {
      const value = parts.secrets?.get(key) ?? envSecret(key);
      if (value === undefined) {
        throw new TemplateError(`Cannot find secret for key '${key}' (set it in Settings → Secrets, or as env SECRET_${key.toUpperCase()} base64-encoded)`);
      }
      parts.masker.add(value);
      return value;
    },
    kv(key: string, namespace: string | undefined, errorOnMissing: boolean): unknown {
      const r = namespace ? parts.kv.get(namespace, key) : parts.kv.getInherited(parts.namespace, key);
      if (r.found) return r.value;
      if (errorOnMissing) throw new TemplateError(`Cannot find the KV pair '${key}' in namespace ${namespace ?? parts.namespace}`);
      return null;
    },
    read(uri: string): string {
      return parts.storage.readTextSync(uri);
    },
    now: () => new Date(),
    timeZone: parts.timeZone ?? process.env.TZ ?? 'UTC',
    errorLogs(): unknown[] {
      if (!parts.errorLogs) throw new TemplateError('errorLogs() is not available here: it reads the logs of the execution being run');
      return parts.errorLogs();
    },
  };
}
