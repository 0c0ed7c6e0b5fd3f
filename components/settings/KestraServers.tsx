'use client';
/**
 * Settings → Kestra servers: where deploy and "Run on Kestra" go. A password or token typed here
 * is stored encrypted (as secrets are) and never shown again; it may instead come from a saved
 * secret or an environment variable of the Flowbook server.
 */
import { useState, type FormEvent } from 'react';
import type { KestraAuthInput, KestraCheckDto, KestraCredentialInput, KestraCredentialView, KestraServerDto } from '@/lib/contract';
import { errorMessage } from '@/lib/client/api';
import { kestraApi, useDeleteKestraServer, useKestraServers, useSaveKestraServer } from '@/lib/client/kestra';
import { Button } from '@/components/ui/Button';
import { ErrorBox, Loading } from '@/components/ui/States';

const input = 'surface rounded-md border px-2 py-1 text-[13px] outline-none focus:ring-2 focus:ring-sky-500';

type Source = KestraCredentialInput['from'];

interface Draft {
  name: string;
  url: string;
  tenant: string;
  kind: KestraAuthInput['kind'];
  username: string;
  source: Source;
  /** The typed password or token (write-only), or the secret's / variable's name. */
  value: string;
}

const EMPTY: Draft = { name: '', url: '', tenant: 'main', kind: 'basic', username: '', source: 'stored', value: '' };

function credentialText(c: KestraCredentialView, what: string): string {
  if (c.from === 'stored') return c.set ? `${what} stored (encrypted)` : `no ${what} saved`;
  return `${what} from ${c.from === 'secret' ? 'secret' : 'environment variable'} ${c.name}${c.set ? '' : ' (not set!)'}`;
}

function authText(s: KestraServerDto): string {
  if (s.auth.kind === 'basic') return `basic auth as ${s.auth.username}, ${credentialText(s.auth.password, 'password')}`;
  if (s.auth.kind === 'token') return `API token, ${credentialText(s.auth.token, 'token')}`;
  return 'no authentication';
}

function draftOf(s: KestraServerDto): Draft {
  const c = s.auth.kind === 'basic' ? s.auth.password : s.auth.kind === 'token' ? s.auth.token : undefined;
  return {
    name: s.name,
    url: s.url,
    tenant: s.tenant,
    kind: s.auth.kind,
    username: s.auth.kind === 'basic' ? s.auth.username : '',
    source: c?.from ?? 'stored',
    value: c && c.from !== 'stored' ? c.name : '',
  };
}

function authInput(d: Draft): KestraAuthInput {
  const credential: KestraCredentialInput = d.source === 'stored' ? { from: 'stored', ...(d.value ? { value: d.value } : {}) } : { from: d.source, name: d.value.trim() };
  if (d.kind === 'basic') return { kind: 'basic', username: d.username.trim(), password: credential };
  if (d.kind === 'token') return { kind: 'token', token: credential };
  return { kind: 'none' };
}

function ServerForm({ editing, onDone }: { editing?: KestraServerDto; onDone: () => void }) {
  const [d, setD] = useState<Draft>(editing ? draftOf(editing) : EMPTY);
  const save = useSaveKestraServer();
  const what = d.kind === 'token' ? 'token' : 'password';
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await save.mutateAsync({ id: editing?.id, body: { name: d.name.trim(), url: d.url.trim(), tenant: d.tenant.trim() || 'main', auth: authInput(d) } });
      onDone();
    } catch {
      // Shown below from the mutation's error.
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} className="border-theme space-y-2 rounded-lg border p-3" aria-label={editing ? `Edit Kestra server ${editing.name}` : 'Add a Kestra server'}>
      <div className="flex flex-wrap items-center gap-2">
        <input aria-label="Server name" className={`${input} w-40`} placeholder="prod" value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} required />
        <input aria-label="Server URL" className={`${input} w-72 font-mono`} placeholder="http://localhost:8080" value={d.url} onChange={(e) => setD({ ...d, url: e.target.value })} required />
        <input aria-label="Tenant" className={`${input} w-28 font-mono`} placeholder="main" value={d.tenant} onChange={(e) => setD({ ...d, tenant: e.target.value })} />
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <select aria-label="Authentication" className={input} value={d.kind} onChange={(e) => setD({ ...d, kind: e.target.value as Draft['kind'] })}>
          <option value="basic">basic auth (user and password)</option>
          <option value="token">API token (Bearer)</option>
          <option value="none">none</option>
        </select>
        {d.kind === 'basic' && <input aria-label="User" className={`${input} w-48`} placeholder="admin@kestra.io" value={d.username} onChange={(e) => setD({ ...d, username: e.target.value })} required />}
        {d.kind !== 'none' && (
          <>
            <select aria-label={`Where the ${what} comes from`} className={input} value={d.source} onChange={(e) => setD({ ...d, source: e.target.value as Source, value: '' })}>
              <option value="stored">typed here (stored encrypted)</option>
              <option value="secret">a saved secret</option>
              <option value="env">an environment variable</option>
            </select>
            {d.source === 'stored' ? (
              <input
                aria-label={what === 'token' ? 'Token' : 'Password'}
                type="password"
                autoComplete="off"
                className={`${input} w-56`}
                placeholder={editing ? `(unchanged: type to replace)` : `${what} (never shown again)`}
                value={d.value}
                onChange={(e) => setD({ ...d, value: e.target.value })}
              />
            ) : (
              <input aria-label={d.source === 'secret' ? 'Secret name' : 'Variable name'} className={`${input} w-56 font-mono`} placeholder={d.source === 'secret' ? 'KESTRA_PASSWORD' : 'MY_KESTRA_TOKEN'} value={d.value} onChange={(e) => setD({ ...d, value: e.target.value })} required />
            )}
          </>
        )}
      </div>
      <div className="flex items-center gap-2">
        <Button type="submit" size="sm" variant="primary" disabled={save.isPending}>
          {editing ? 'Save server' : 'Add server'}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
      {save.isError && <ErrorBox title="Server not saved" message={errorMessage(save.error)} />}
    </form>
  );
}

function ServerRow({ server, onEdit }: { server: KestraServerDto; onEdit: () => void }) {
  const remove = useDeleteKestraServer();
  const [check, setCheck] = useState<KestraCheckDto | { ok: boolean; message: string; pending: true } | null>(null);
  async function runCheck() {
    setCheck({ ok: false, message: 'Asking the server…', pending: true });
    try {
      setCheck(await kestraApi.checkServer(server.id));
    } catch (err) {
      setCheck({ ok: false, message: errorMessage(err) });
    }
  }
  return (
    <li className="py-2" data-testid="kestra-server" aria-label={`Kestra server ${server.name}`}>
      <div className="flex flex-wrap items-center gap-3">
        <span className="font-semibold">{server.name}</span>
        <span className="font-mono text-xs">{server.url}</span>
        <span className="text-muted text-xs">tenant {server.tenant}</span>
        <span className="flex-1" />
        <Button size="sm" onClick={() => void runCheck()}>
          Check
        </Button>
        <Button size="sm" onClick={onEdit} aria-label={`Edit Kestra server ${server.name}`}>
          Edit
        </Button>
        <Button size="sm" variant="danger" onClick={() => remove.mutate(server.id)} aria-label={`Delete Kestra server ${server.name}`}>
          Delete
        </Button>
      </div>
      <p className="text-muted text-xs">{authText(server)}</p>
      {check && (
        <p className={`mt-1 text-xs whitespace-pre-wrap ${check.ok ? 'text-emerald-700 dark:text-emerald-300' : 'pending' in check ? 'text-muted' : 'text-red-700 dark:text-red-300'}`} role="status" data-testid="kestra-server-check">
          {check.message}
        </p>
      )}
      {remove.isError && <ErrorBox title="Not deleted" message={errorMessage(remove.error)} />}
    </li>
  );
}

export function KestraServers() {
  const q = useKestraServers();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  if (q.isPending) return <Loading what="Kestra servers" />;
  if (q.isError) return <ErrorBox title="Could not load Kestra servers" message={errorMessage(q.error)} />;
  return (
    <div className="space-y-3">
      {q.data.length === 0 ? (
        <div className="text-muted text-xs">No Kestra server yet.</div>
      ) : (
        <ul className="divide-y divide-slate-200 dark:divide-slate-700" data-testid="kestra-server-list">
          {q.data.map((s) => (editing === s.id ? <ServerForm key={s.id} editing={s} onDone={() => setEditing(null)} /> : <ServerRow key={s.id} server={s} onEdit={() => setEditing(s.id)} />))}
        </ul>
      )}
      {editing === 'new' ? (
        <ServerForm onDone={() => setEditing(null)} />
      ) : (
        <Button size="sm" onClick={() => setEditing('new')}>
          + Add Kestra server
        </Button>
      )}
    </div>
  );
}
