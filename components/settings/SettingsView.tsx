'use client';
/** The built-in PostgreSQL, host aliases, secrets (write-only) and KV pairs. */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '@/lib/client/api';
import { keys } from '@/lib/client/queries';
import { formatDateTime } from '@/lib/client/format';
import { usePostgresControl, usePostgresStatus } from '@/lib/client/postgres';
import { TopBar } from '@/components/ui/TopBar';
import { Button } from '@/components/ui/Button';
import { ErrorBox, Loading } from '@/components/ui/States';
import { KestraServers } from './KestraServers';

const input = 'surface rounded-md border px-2 py-1 text-[13px] outline-none focus:ring-2 focus:ring-sky-500';

function Card({ title, hint, children }: { title: string; hint: string; children: ReactNode }) {
  return (
    <section className="surface mb-6 rounded-xl border shadow-sm">
      <div className="border-theme border-b px-5 py-3">
        <h2 className="font-semibold">{title}</h2>
        <p className="text-muted text-xs">{hint}</p>
      </div>
      <div className="px-5 py-4">{children}</div>
    </section>
  );
}

const PG_STATE: Record<string, string> = { stopped: 'Stopped', starting: 'Starting…', running: 'Running', failed: 'Not running' };

function BuiltinPostgres() {
  const status = usePostgresStatus();
  const { start, stop } = usePostgresControl();
  const [port, setPort] = useState('');
  if (status.isPending) return <Loading what="PostgreSQL status" />;
  if (status.isError) return <ErrorBox title="Could not read the PostgreSQL status" message={errorMessage(status.error)} />;
  const s = status.data;
  const running = s.state === 'running';
  const shownPort = port === '' ? String(s.port) : port;
  const portNumber = Number(shownPort);
  const error = start.isError ? errorMessage(start.error) : stop.isError ? errorMessage(stop.error) : s.state === 'failed' ? s.error : undefined;
  return (
    <div className="space-y-3" data-testid="builtin-postgres">
      <div className="flex flex-wrap items-center gap-3">
        <span className="flex items-center gap-1.5 text-[13px]" data-testid="postgres-state">
          <span className={`h-2 w-2 rounded-full ${running ? 'bg-emerald-500' : s.state === 'failed' ? 'bg-red-500' : 'bg-slate-400'}`} />
          {PG_STATE[s.state]}
          {running && (
            <>
              {' '}on 127.0.0.1:{s.port} · <code className="font-mono text-xs">{s.alias}</code> points here
            </>
          )}
        </span>
        <span className="flex-1" />
        {running ? (
          <Button size="sm" onClick={() => stop.mutate()} disabled={stop.isPending}>
            {stop.isPending ? 'Stopping…' : 'Stop PostgreSQL'}
          </Button>
        ) : (
          <>
            <label className="text-muted flex items-center gap-1 text-xs">
              Port
              <input
                type="number"
                min={1}
                max={65535}
                aria-label="PostgreSQL port"
                className={`${input} w-24`}
                value={shownPort}
                onChange={(e) => setPort(e.target.value)}
              />
            </label>
            <Button size="sm" variant="primary" onClick={() => start.mutate(portNumber)} disabled={start.isPending || s.state === 'starting' || !Number.isInteger(portNumber)}>
              {start.isPending || s.state === 'starting' ? 'Starting PostgreSQL…' : 'Start PostgreSQL'}
            </Button>
          </>
        )}
      </div>
      {running && s.url && (
        <dl className="grid grid-cols-[7rem_1fr] gap-y-1 text-xs">
          <dt className="text-muted">URL</dt>
          <dd className="font-mono break-all">{s.url}</dd>
          <dt className="text-muted">JDBC</dt>
          <dd className="font-mono break-all">{s.jdbcUrl}</dd>
          <dt className="text-muted">psql</dt>
          <dd className="font-mono break-all">
            psql -h 127.0.0.1 -p {s.port} -U {s.user} -d {s.database}
          </dd>
        </dl>
      )}
      {error && (
        <p role="alert" className="font-mono text-xs whitespace-pre-wrap text-red-700 dark:text-red-300" data-testid="postgres-error">
          {error}
        </p>
      )}
    </div>
  );
}

function HostAliases() {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: keys.settings, queryFn: api.getSettings });
  const [rows, setRows] = useState<[string, string][]>([]);
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => {
    if (q.data) setRows(Object.entries(q.data.hostAliases));
  }, [q.data]);
  const save = useMutation({
    mutationFn: () => api.putSettings(Object.fromEntries(rows.filter(([k]) => k.trim()).map(([k, v]) => [k.trim(), v.trim()]))),
    onSuccess: (data) => {
      qc.setQueryData(keys.settings, data);
      setMsg('Saved.');
    },
    onError: (err) => setMsg(`Not saved: ${errorMessage(err)}`),
  });
  if (q.isPending) return <Loading what="settings" />;
  if (q.isError) return <ErrorBox title="Could not load settings" message={errorMessage(q.error)} />;
  return (
    <div className="space-y-2">
      {Object.entries(q.data.builtinHostAliases).map(([k, v]) => (
        <div key={k} className="text-muted flex gap-2 font-mono text-xs" data-testid="builtin-alias">
          {k} → {v} <span>(the built-in PostgreSQL, while it runs)</span>
        </div>
      ))}
      {Object.entries(q.data.envHostAliases).map(([k, v]) => (
        <div key={k} className="text-muted flex gap-2 font-mono text-xs">
          {k} → {v} <span>(from FLOWBOOK_HOST_ALIASES)</span>
        </div>
      ))}
      {rows.map(([k, v], i) => (
        <div key={i} className="flex items-center gap-2">
          <input aria-label="Alias host" className={`${input} w-48 font-mono`} placeholder="pgdatabase" value={k} onChange={(e) => setRows(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))} />
          →
          <input aria-label="Real host" className={`${input} w-56 font-mono`} placeholder="127.0.0.1:5432" value={v} onChange={(e) => setRows(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)))} />
          <Button size="sm" variant="ghost" aria-label={`Remove alias ${k}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
            ✕
          </Button>
        </div>
      ))}
      <div className="flex items-center gap-2 pt-1">
        <Button size="sm" onClick={() => setRows([...rows, ['', '']])}>
          + Add alias
        </Button>
        <Button size="sm" variant="primary" disabled={save.isPending} onClick={() => save.mutate()}>
          Save aliases
        </Button>
        {msg && <span className="text-muted text-xs" role="status">{msg}</span>}
      </div>
    </div>
  );
}

function Secrets() {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: keys.secrets, queryFn: api.listSecrets });
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [err, setErr] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setErr(null);
    try {
      await api.putSecret(key.trim(), value);
      setKey('');
      setValue('');
      await qc.invalidateQueries({ queryKey: keys.secrets });
    } catch (error) {
      setErr(errorMessage(error));
    }
  }
  async function remove(k: string) {
    try {
      await api.deleteSecret(k);
      await qc.invalidateQueries({ queryKey: keys.secrets });
    } catch (error) {
      setErr(errorMessage(error));
    }
  }
  return (
    <div className="space-y-3">
      {q.isPending ? (
        <Loading what="secrets" />
      ) : q.isError ? (
        <ErrorBox title="Could not load secrets" message={errorMessage(q.error)} />
      ) : q.data.length === 0 ? (
        <div className="text-muted text-xs">No secrets yet.</div>
      ) : (
        <ul className="divide-y divide-slate-200 dark:divide-slate-700" data-testid="secret-list">
          {q.data.map((s) => (
            <li key={s.key} className="flex items-center gap-3 py-1.5">
              <span className="font-mono text-[13px]">{s.key}</span>
              <span className="text-muted font-mono text-xs">••••••••</span>
              <span className="text-muted text-xs">set {formatDateTime(s.updatedAt)}</span>
              <span className="flex-1" />
              <Button size="sm" variant="danger" onClick={() => void remove(s.key)} aria-label={`Delete secret ${s.key}`}>
                Delete
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => void submit(e)} className="flex flex-wrap items-center gap-2">
        <input aria-label="Secret key" className={`${input} w-48 font-mono`} placeholder="GCP_CREDS" value={key} onChange={(e) => setKey(e.target.value)} required />
        <input aria-label="Secret value" type="password" autoComplete="off" className={`${input} w-64`} placeholder="value (never shown again)" value={value} onChange={(e) => setValue(e.target.value)} required />
        <Button type="submit" size="sm" variant="primary">
          Set secret
        </Button>
      </form>
      {err && <ErrorBox title="Secret not saved" message={err} />}
    </div>
  );
}

function KvPairs() {
  const qc = useQueryClient();
  const [ns, setNs] = useState('');
  const q = useQuery({ queryKey: keys.kv(ns), queryFn: () => api.listKv(ns) });
  const [form, setForm] = useState({ namespace: '', key: '', value: '' });
  const [err, setErr] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setErr(null);
    let value: unknown = form.value;
    try {
      // JSON when it parses (numbers, objects), plain text otherwise, as Kestra's KV store does.
      value = JSON.parse(form.value);
    } catch {
      value = form.value;
    }
    try {
      await api.putKv(form.namespace.trim(), form.key.trim(), value);
      setForm({ ...form, key: '', value: '' });
      await qc.invalidateQueries({ queryKey: ['kv'] });
    } catch (error) {
      setErr(errorMessage(error));
    }
  }
  async function remove(namespace: string, key: string) {
    try {
      await api.deleteKv(namespace, key);
      await qc.invalidateQueries({ queryKey: ['kv'] });
    } catch (error) {
      setErr(errorMessage(error));
    }
  }
  return (
    <div className="space-y-3">
      <input aria-label="Filter by namespace" className={`${input} w-72`} placeholder="filter by namespace (e.g. zoomcamp)" value={ns} onChange={(e) => setNs(e.target.value)} />
      {q.isPending ? (
        <Loading what="KV pairs" />
      ) : q.isError ? (
        <ErrorBox title="Could not load KV pairs" message={errorMessage(q.error)} />
      ) : q.data.length === 0 ? (
        <div className="text-muted text-xs">No KV pairs{ns ? ` in ${ns}` : ''}.</div>
      ) : (
        <table className="w-full text-[13px]" data-testid="kv-table">
          <thead className="text-muted text-left text-xs">
            <tr>
              <th className="py-1">namespace</th>
              <th>key</th>
              <th>value</th>
              <th>type</th>
              <th>updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {q.data.map((e) => (
              <tr key={`${e.namespace}/${e.key}`} className="border-theme border-t">
                <td className="py-1 font-mono text-xs">{e.namespace}</td>
                <td className="font-mono text-xs">{e.key}</td>
                <td className="max-w-64 truncate font-mono text-xs">{typeof e.value === 'string' ? e.value : JSON.stringify(e.value)}</td>
                <td className="text-muted text-xs">{e.type}</td>
                <td className="text-muted text-xs">{formatDateTime(e.updatedAt)}</td>
                <td className="text-right">
                  <Button size="sm" variant="danger" onClick={() => void remove(e.namespace, e.key)} aria-label={`Delete KV ${e.namespace}/${e.key}`}>
                    Delete
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={(e) => void submit(e)} className="flex flex-wrap items-center gap-2">
        <input aria-label="KV namespace" className={`${input} w-44 font-mono`} placeholder="namespace" value={form.namespace} onChange={(e) => setForm({ ...form, namespace: e.target.value })} required />
        <input aria-label="KV key" className={`${input} w-44 font-mono`} placeholder="key" value={form.key} onChange={(e) => setForm({ ...form, key: e.target.value })} required />
        <input aria-label="KV value" className={`${input} w-64 font-mono`} placeholder='value (text or JSON)' value={form.value} onChange={(e) => setForm({ ...form, value: e.target.value })} />
        <Button type="submit" size="sm" variant="primary">
          Set KV pair
        </Button>
      </form>
      {err && <ErrorBox title="KV pair not saved" message={err} />}
    </div>
  );
}

export function SettingsView() {
  return (
    <div className="flex min-h-screen flex-col">
      <TopBar crumbs={<span>Settings</span>} />
      <main className="mx-auto w-full max-w-4xl px-6 py-8">
        <h1 className="mb-6 text-2xl font-semibold tracking-tight">Settings</h1>
        <Card
          title="Built-in PostgreSQL"
          hint="The course's flows connect to pgdatabase:5432 (user root, password root, database ny_taxi), a docker-compose service. Flowbook can run a PostgreSQL with those settings itself; while it runs, pgdatabase points at it. It stops when Flowbook stops; its data stays in the data directory."
        >
          <BuiltinPostgres />
        </Card>
        <Card title="Host aliases" hint="Flows written for docker-compose name hosts like pgdatabase. Map them to real addresses here; exported YAML keeps the original names.">
          <HostAliases />
        </Card>
        <Card title="Secrets" hint="Read by secret('KEY') in flows. Stored encrypted, never shown again, masked in logs.">
          <Secrets />
        </Card>
        <Card title="KV store" hint="Read by kv('KEY') in flows, per namespace.">
          <KvPairs />
        </Card>
        <div id="kestra-servers">
          <Card title="Kestra servers" hint="Where Deploy to Kestra and Run on Kestra go: the server's address, its tenant (main unless it runs several), and basic auth or an API token, stored encrypted as secrets are.">
            <KestraServers />
          </Card>
        </div>
      </main>
    </div>
  );
}
