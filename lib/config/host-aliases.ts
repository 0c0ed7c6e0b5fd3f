/**
 * Host aliases let flows written for docker-compose (`pgdatabase:5432`) run unchanged:
 * a connection URL's host (and port) is rewritten to a real address at connect time.
 */
export interface HostAlias {
  host: string;
  port?: number;
}

export class HostAliasError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostAliasError';
  }
}

export class HostAliases {
  constructor(private readonly aliases: ReadonlyMap<string, HostAlias> = new Map()) {}

  /** Parses `pgdatabase=127.0.0.1:5432,other=host:port`. */
  static parse(spec: string | undefined): HostAliases {
    const map = new Map<string, HostAlias>();
    if (!spec) return new HostAliases(map);
    for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
      const eq = part.indexOf('=');
      if (eq <= 0) throw new HostAliasError(`host alias "${part}" must look like name=host[:port]`);
      const name = part.slice(0, eq).trim().toLowerCase();
      map.set(name, parseTarget(part.slice(eq + 1).trim(), part));
    }
    return new HostAliases(map);
  }

  static fromRecord(record: Record<string, string>): HostAliases {
    const map = new Map<string, HostAlias>();
    for (const [name, target] of Object.entries(record)) map.set(name.toLowerCase(), parseTarget(target, name));
    return new HostAliases(map);
  }

  merge(other: HostAliases): HostAliases {
    return new HostAliases(new Map([...this.aliases, ...other.aliases]));
  }

  entries(): [string, HostAlias][] {
    return [...this.aliases];
  }

  lookup(host: string): HostAlias | undefined {
    return this.aliases.get(host.toLowerCase());
  }

  /** Rewrites `host[:port]` to the alias target; unknown hosts pass through. */
  resolve(host: string, port?: number): { host: string; port?: number; aliased: boolean } {
    const alias = this.lookup(host);
    if (!alias) return { host, port, aliased: false };
    return { host: alias.host, port: alias.port ?? port, aliased: true };
  }

  /** Rewrites the authority of any URL-like string (`jdbc:postgresql://h:p/db`, `http://h/x`). */
  rewriteUrl(url: string): string {
    return url.replace(/^([a-z][a-z0-9+.:-]*:\/\/)(?:([^@/?#]*)@)?(\[[^\]]+\]|[^:/?#]+)(?::(\d+))?/i, (m, scheme: string, auth: string | undefined, host: string, port: string | undefined) => {
      const r = this.resolve(host, port ? Number(port) : undefined);
      if (!r.aliased) return m;
      return `${scheme}${auth !== undefined ? auth + '@' : ''}${r.host}${r.port !== undefined ? ':' + r.port : ''}`;
    });
  }
}

function parseTarget(target: string, where: string): HostAlias {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(target);
  if (!m) throw new HostAliasError(`host alias "${where}": "${target}" is not host[:port]`);
  const port = m[2] ? Number(m[2]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) throw new HostAliasError(`host alias "${where}": port ${port} is out of range`);
  return { host: m[1], port };
}
