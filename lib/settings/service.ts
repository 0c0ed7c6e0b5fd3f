/**
 * App settings kept in the database. Host aliases saved here are merged over
 * FLOWBOOK_HOST_ALIASES and take effect for the next execution without a restart. Aliases
 * Flowbook sets itself (the built-in PostgreSQL's `pgdatabase`) win over both while they last.
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
  private savedAliasesNow = new HostAliases();
  private readonly builtin = new Map<string, string>();

  constructor(
    private readonly db: Db,
    env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.envAliases = HostAliases.parse(env.FLOWBOOK_HOST_ALIASES);
    this.hostAliases = new LiveHostAliases(this.envAliases);
  }

  async load(): Promise<void> {
    this.savedAliasesNow = HostAliases.fromRecord(await this.savedAliases());
    this.apply();
  }

  async get(): Promise<SettingsDto> {
    return { hostAliases: await this.savedAliases(), envHostAliases: describeAliases(this.envAliases), builtinHostAliases: Object.fromEntries(this.builtin) };
  }

  /**
   * An alias Flowbook sets itself, not saved: `target` `host:port`, or undefined to drop it.
   * The built-in PostgreSQL sets `pgdatabase` while it runs.
   */
  setBuiltinAlias(name: string, target: string | undefined): void {
    if (target === undefined) this.builtin.delete(name.toLowerCase());
    else this.builtin.set(name.toLowerCase(), target);
    this.apply();
  }

  private apply(): void {
    this.hostAliases.replace(this.envAliases.merge(this.savedAliasesNow).merge(HostAliases.fromRecord(Object.fromEntries(this.builtin))));
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
    this.savedAliasesNow = parsed;
    this.apply();
    return this.get();
  }

  private async savedAliases(): Promise<Record<string, string>> {
    const row = await this.db.setting.findUnique({ where: { key: HOST_ALIASES } });
    return parseJson<Record<string, string>>(row?.value, {});
  }
}
