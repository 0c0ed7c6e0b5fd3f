/**
 * The Kestra servers saved under Settings: address, tenant and how to authenticate. A password
 * or token typed in is encrypted with the secrets' key (AES-256-GCM, bound to the server's id)
 * before it reaches the database; it can also come from a saved secret or an environment
 * variable, named here and read only when a request is sent. No credential ever leaves through
 * the API: the browser sees where it comes from and whether it is set.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { Problem } from '../model/problem';
import type { KestraAuthInput, KestraAuthView, KestraCredentialInput, KestraCredentialView, KestraServerDto, SaveKestraServerRequest } from '../contract';
import { decrypt, encrypt } from '../secrets/crypto';
import { parseJson, toJson } from '../persistence/rows';
import { KestraApiError, normaliseServerUrl, type KestraAuth, type KestraTarget } from './client';

const SETTING_KEY = 'kestraServers';
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** As stored: a typed-in credential only as ciphertext. */
type StoredCredential = { from: 'stored'; ciphertext?: string } | { from: 'secret'; name: string } | { from: 'env'; name: string };
type StoredAuth = { kind: 'none' } | { kind: 'basic'; username: string; password: StoredCredential } | { kind: 'token'; token: StoredCredential };

interface StoredServer {
  id: string;
  name: string;
  url: string;
  tenant: string;
  auth: StoredAuth;
  updatedAt: string;
}

export interface CredentialLookup {
  /** A secret saved under Settings → Secrets. */
  secret(name: string): string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

export interface ResolvedServer {
  server: KestraServerDto;
  target: KestraTarget;
}

function aad(serverId: string, field: string): string {
  return `kestra-server:${serverId}:${field}`;
}

export class KestraServerStore {
  constructor(
    private readonly db: Db,
    private readonly key: Buffer,
    private readonly lookup: CredentialLookup,
  ) {}

  private async load(): Promise<StoredServer[]> {
    const row = await this.db.setting.findUnique({ where: { key: SETTING_KEY } });
    return parseJson<StoredServer[]>(row?.value, []);
  }

  private async save(servers: StoredServer[]): Promise<void> {
    const value = toJson(servers);
    await this.db.setting.upsert({ where: { key: SETTING_KEY }, create: { key: SETTING_KEY, value }, update: { value } });
  }

  private view(c: StoredCredential): KestraCredentialView {
    if (c.from === 'stored') return { from: 'stored', set: c.ciphertext !== undefined };
    if (c.from === 'secret') return { from: 'secret', name: c.name, set: this.lookup.secret(c.name) !== undefined };
    return { from: 'env', name: c.name, set: (this.lookup.env[c.name] ?? '') !== '' };
  }

  private dto(s: StoredServer): KestraServerDto {
    const auth: KestraAuthView =
      s.auth.kind === 'basic' ? { kind: 'basic', username: s.auth.username, password: this.view(s.auth.password) } : s.auth.kind === 'token' ? { kind: 'token', token: this.view(s.auth.token) } : { kind: 'none' };
    return { id: s.id, name: s.name, url: s.url, tenant: s.tenant, auth, updatedAt: s.updatedAt };
  }

  async list(): Promise<KestraServerDto[]> {
    return (await this.load()).map((s) => this.dto(s));
  }

  async get(id: string): Promise<KestraServerDto> {
    return this.dto(await this.stored(id));
  }

  private async stored(id: string): Promise<StoredServer> {
    const found = (await this.load()).find((s) => s.id === id);
    if (!found) throw Problem.notFound(`Kestra server ${id}`);
    return found;
  }

  private credential(serverId: string, field: string, input: KestraCredentialInput, previous: StoredCredential | undefined): StoredCredential {
    if (input.from === 'secret' || input.from === 'env') {
      if (!NAME_PATTERN.test(input.name)) throw new Problem('invalid', `"${input.name}" is not a ${input.from === 'secret' ? 'secret' : 'variable'} name: use letters, digits and _`);
      return { from: input.from, name: input.name };
    }
    if (input.value !== undefined && input.value !== '') return { from: 'stored', ciphertext: encrypt(this.key, aad(serverId, field), input.value) };
    // No new value: keep the one saved before, if it was typed in too.
    return previous?.from === 'stored' ? previous : { from: 'stored' };
  }

  private auth(serverId: string, input: KestraAuthInput, previous: StoredAuth | undefined): StoredAuth {
    if (input.kind === 'none') return { kind: 'none' };
    if (input.kind === 'basic') {
      if (!input.username.trim()) throw new Problem('invalid', 'basic auth needs a user name');
      return { kind: 'basic', username: input.username.trim(), password: this.credential(serverId, 'password', input.password, previous?.kind === 'basic' ? previous.password : undefined) };
    }
    return { kind: 'token', token: this.credential(serverId, 'token', input.token, previous?.kind === 'token' ? previous.token : undefined) };
  }

  private fields(req: SaveKestraServerRequest): { name: string; url: string; tenant: string } {
    const name = req.name.trim();
    if (!name) throw new Problem('invalid', 'give the server a name');
    let url: string;
    try {
      url = normaliseServerUrl(req.url);
    } catch (err) {
      throw new Problem('invalid', err instanceof Error ? err.message : String(err));
    }
    const tenant = (req.tenant ?? 'main').trim() || 'main';
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(tenant)) throw new Problem('invalid', `"${tenant}" is not a tenant id`);
    return { name, url, tenant };
  }

  async create(req: SaveKestraServerRequest): Promise<KestraServerDto> {
    const servers = await this.load();
    const fields = this.fields(req);
    if (servers.some((s) => s.name === fields.name)) throw new Problem('conflict', `a Kestra server named "${fields.name}" is already saved`);
    const id = randomUUID();
    const server: StoredServer = { id, ...fields, auth: this.auth(id, req.auth, undefined), updatedAt: new Date().toISOString() };
    await this.save([...servers, server]);
    return this.dto(server);
  }

  async update(id: string, req: SaveKestraServerRequest): Promise<KestraServerDto> {
    const servers = await this.load();
    const current = servers.find((s) => s.id === id);
    if (!current) throw Problem.notFound(`Kestra server ${id}`);
    const fields = this.fields(req);
    if (servers.some((s) => s.id !== id && s.name === fields.name)) throw new Problem('conflict', `a Kestra server named "${fields.name}" is already saved`);
    const server: StoredServer = { id, ...fields, auth: this.auth(id, req.auth, current.auth), updatedAt: new Date().toISOString() };
    await this.save(servers.map((s) => (s.id === id ? server : s)));
    return this.dto(server);
  }

  async remove(id: string): Promise<void> {
    const servers = await this.load();
    if (!servers.some((s) => s.id === id)) throw Problem.notFound(`Kestra server ${id}`);
    await this.save(servers.filter((s) => s.id !== id));
  }

  private reveal(serverName: string, serverId: string, field: string, c: StoredCredential): string {
    if (c.from === 'stored') {
      if (c.ciphertext === undefined) throw new Problem('unprocessable', `Kestra server "${serverName}" has no ${field} saved: set it under Settings → Kestra servers`);
      return decrypt(this.key, aad(serverId, field), c.ciphertext);
    }
    const value = c.from === 'secret' ? this.lookup.secret(c.name) : this.lookup.env[c.name];
    if (value === undefined || value === '') {
      throw new Problem('unprocessable', `the ${field} of Kestra server "${serverName}" comes from ${c.from === 'secret' ? `secret ${c.name}` : `environment variable ${c.name}`}, which is not set`);
    }
    return value;
  }

  /** The server with its credentials in clear, for one request's Authorization header. */
  async resolve(id: string): Promise<ResolvedServer> {
    const s = await this.stored(id);
    let auth: KestraAuth = { kind: 'none' };
    if (s.auth.kind === 'basic') auth = { kind: 'basic', username: s.auth.username, password: this.reveal(s.name, s.id, 'password', s.auth.password) };
    else if (s.auth.kind === 'token') auth = { kind: 'token', token: this.reveal(s.name, s.id, 'token', s.auth.token) };
    return { server: this.dto(s), target: { url: s.url, tenant: s.tenant, auth } };
  }
}

/** A Kestra answer as a Flowbook problem: Kestra's 401 must not look like Flowbook's own token being refused. */
export function kestraProblem(err: unknown): unknown {
  if (!(err instanceof KestraApiError)) return err;
  const kind = err.kind === 'network' || err.kind === 'server' ? 'unavailable' : err.kind === 'not-found' ? 'not-found' : err.kind === 'conflict' ? 'conflict' : 'unprocessable';
  return new Problem(kind, err.message, {}, { cause: err });
}
