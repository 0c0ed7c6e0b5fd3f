/**
 * App settings kept in the database. Host aliases saved here are merged over
 * FLOWBOOK_HOST_ALIASES and take effect for the next execution without a restart.
 */
import { HostAliasError, HostAliases, type HostAlias } from '../config/host-aliases';
import type { Db } from '../db/client';
import { Problem } from '../model/problem';
import type { SettingsDto } from '../contract';
import { parseJson, toJson } from '../persistence/rows';

const HOST_ALIASES = 'hostAliases';

/** HostAliases whose entries can be swapped while the engine holds on to the object. */
export class LiveHostAliases extends HostAliases {
  private current: HostAliases;

  constructor(initial: HostAliases = new HostAliases()) {
    super();
    this.current = initial;
  }

  replace(next: HostAliases): void {
    this.current = next;
  }

  override lookup(host: string): HostAlias | undefined {
    return this.current.lookup(host);
  }

  override entries(): [string, HostAlias][] {
    return this.current.entries();
  }

  override merge(other: HostAliases): HostAliases {
    return this.current.merge(other);
  }
}

function describeAliases(aliases: HostAliases): Record<string, string> {
  return Object.fromEntries(aliases.entries().map(([name, a]) => [name, a.port === undefined ? a.host : `${a.host}:${a.port}`]));
}

export class SettingsService {
  readonly hostAliases: LiveHostAliases;
  private readonly envAliases: HostAliases;

  constructor(
    private readonly db: Db,
    env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.envAliases = HostAliases.parse(env.FLOWBOOK_HOST_ALIASES);
    this.hostAliases = new LiveHostAliases(this.envAliases);
  }

  async load(): Promise<void> {
    this.hostAliases.replace(this.envAliases.merge(HostAliases.fromRecord(await this.savedAliases())));
  }

  async get(): Promise<SettingsDto> {
    return { hostAliases: await this.savedAliases(), envHostAliases: describeAliases(this.envAliases) };
  }

  async setHostAliases(record: Record<string, string>): Promise<SettingsDto> {
    let parsed: HostAliases;
    try {
      parsed = HostAliases.fromRecord(record);
    } catch (err) {
      if (err instanceof HostAliasError || (err instanceof Error && err.name === 'HostAliasError')) throw new Problem('unprocessable', err.message, {}, { cause: err });
      throw err;
    }
    const value = toJson(describeAliases(parsed));
    await this.db.setting.upsert({ where: { key: HOST_ALIASES }, create: { key: HOST_ALIASES, value }, update: { value } });
    this.hostAliases.replace(this.envAliases.merge(parsed));
    return this.get();
  }

  private async savedAliases(): Promise<Record<string, string>> {
    const row = await this.db.setting.findUnique({ where: { key: HOST_ALIASES } });
    return parseJson<Record<string, string>>(row?.value, {});
  }
}
