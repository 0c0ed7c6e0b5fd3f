/**
 * Flowbook's settings, read once: environment variables win over `flowbook.config.json`
 * (in the working directory or the data dir), which wins over built-in defaults.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HostAliases } from './host-aliases';

export interface FlowbookConfig {
  dataDir: string;
  hostAliases: HostAliases;
  /** Where the config file was read from, if any. */
  configFile?: string;
}

interface ConfigFile {
  hostAliases?: Record<string, string>;
  dataDir?: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function readConfigFile(file: string): ConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${file}: expected a JSON object`);
  const cfg = raw as Record<string, unknown>;
  if (cfg.hostAliases !== undefined && (typeof cfg.hostAliases !== 'object' || cfg.hostAliases === null || Array.isArray(cfg.hostAliases))) {
    throw new ConfigError(`${file}: hostAliases must be an object like {"pgdatabase": "127.0.0.1:5432"}`);
  }
  return cfg as ConfigFile;
}

export function loadConfig(opts: { dataDir?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): FlowbookConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  let dataDir = path.resolve(cwd, opts.dataDir ?? env.FLOWBOOK_DATA_DIR ?? 'data');
  const candidates = [env.FLOWBOOK_CONFIG, path.join(cwd, 'flowbook.config.json'), path.join(dataDir, 'flowbook.config.json')].filter(
    (f): f is string => typeof f === 'string' && f.length > 0,
  );
  const configFile = candidates.find((f) => fs.existsSync(f));
  const file = configFile ? readConfigFile(configFile) : {};
  if (file.dataDir && !opts.dataDir && !env.FLOWBOOK_DATA_DIR) dataDir = path.resolve(path.dirname(configFile!), file.dataDir);
  const hostAliases = HostAliases.fromRecord(file.hostAliases ?? {}).merge(HostAliases.parse(env.FLOWBOOK_HOST_ALIASES));
  return { dataDir, hostAliases, configFile };
}
