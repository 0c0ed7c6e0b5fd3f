'use client';
/**
 * "Deploy to Kestra": what the server has against what would be sent (Kestra validating each
 * flow), before anything changes; then create or update only what differs.
 */
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DeployItemDto, DeployPlanDto, NotebookDto } from '@/lib/contract';
import { errorMessage } from '@/lib/client/api';
import { kestraApi } from '@/lib/client/kestra';
import { Dialog } from '@/components/ui/Dialog';
import { Button } from '@/components/ui/Button';
import { Badge } from '@/components/ui/Badge';
import { ErrorBox, Loading } from '@/components/ui/States';
import { DiffView } from './DiffView';
import { ServerPicker } from './ServerPicker';

function itemLabel(item: DeployItemDto): string {
  return item.kind === 'flow' ? `flow ${item.namespace}.${item.name}` : `namespace file ${item.name} of ${item.namespace}`;
}

function ItemCard({ item }: { item: DeployItemDto }) {
  const [open, setOpen] = useState(item.action !== 'unchanged');
  const tone = item.result ? (item.result.ok ? 'green' : 'red') : item.validation?.error ? 'red' : item.action === 'create' ? 'green' : item.action === 'update' ? 'amber' : 'neutral';
  const label = itemLabel(item);
  return (
    <section className="border-theme rounded-lg border" data-testid="deploy-item" data-action={item.action} aria-label={label}>
      <header className="flex flex-wrap items-center gap-2 px-3 py-2">
        <Badge tone={tone}>{item.result ? (item.result.ok ? `${item.action === 'create' ? 'created' : 'updated'}${item.result.revision ? ` · revision ${item.result.revision}` : ''}` : 'failed') : item.action}</Badge>
        <span className="font-mono text-[13px]">{label}</span>
        {item.binary && <span className="text-muted text-xs">(binary: contents differ)</span>}
        <span className="flex-1" />
        {item.hunks.length > 0 && (
          <Button size="sm" variant="ghost" onClick={() => setOpen(!open)} aria-expanded={open}>
            {open ? 'Hide diff' : 'Show diff'}
          </Button>
        )}
      </header>
      {item.validation?.error && (
        <p className="px-3 pb-2 text-[13px] text-red-700 dark:text-red-300" role="alert">
          Kestra would refuse it: {item.validation.error}
        </p>
      )}
      {item.validation?.warnings.map((w) => (
        <p key={w} className="px-3 pb-1 text-xs text-amber-700 dark:text-amber-300">
          warning: {w}
        </p>
      ))}
      {item.result && !item.result.ok && (
        <p className="px-3 pb-2 text-[13px] whitespace-pre-wrap text-red-700 dark:text-red-300" role="alert">
          {item.result.error}
        </p>
      )}
      {open && item.hunks.length > 0 && (
        <div className="px-3 pb-3">
          <DiffView hunks={item.hunks} label={`Diff of ${label}`} />
        </div>
      )}
    </section>
  );
}

function PlanView({ plan }: { plan: DeployPlanDto }) {
  const changes = plan.items.filter((i) => i.action !== 'unchanged').length;
  return (
    <div className="space-y-2" data-testid="deploy-plan">
      <p className="text-[13px]" role="status" data-testid="deploy-summary">
        {plan.dryRun
          ? changes === 0
            ? `${plan.server.name} already has exactly this: nothing to deploy.`
            : `${changes} of ${plan.items.length} would change on ${plan.server.name} (tenant ${plan.server.tenant}). Nothing has been sent yet.`
          : plan.ok
            ? `Deployed to ${plan.server.name}: ${plan.items.filter((i) => i.result?.ok).length} changed, ${plan.items.length - changes} unchanged.`
            : `Deployed to ${plan.server.name} with errors: see below.`}
      </p>
      {plan.skipped.map((s) => (
        <p key={`${s.namespace}/${s.name}`} className="text-muted text-xs">
          Skipped {s.namespace}.{s.name}: {s.reason}
        </p>
      ))}
      {plan.items.map((item) => (
        <ItemCard key={`${item.kind}:${item.namespace}:${item.name}:${item.result ? 'r' : 'p'}`} item={item} />
      ))}
    </div>
  );
}

export function DeployDialog({ open, onOpenChange, notebook }: { open: boolean; onOpenChange: (o: boolean) => void; notebook: NotebookDto }) {
  const qc = useQueryClient();
  const [serverId, setServerId] = useState<string | undefined>();
  const [scope, setScope] = useState<'notebook' | 'namespace'>('notebook');
  const namespace = notebook.flow?.namespace;
  const target = scope === 'namespace' && namespace ? { namespace } : { notebookId: notebook.id };
  const compareKey = ['kestra-deploy', serverId, scope, notebook.id, notebook.version] as const;
  const compare = useQuery({
    queryKey: compareKey,
    queryFn: () => kestraApi.deploy({ serverId: serverId ?? '', ...target, dryRun: true }),
    enabled: open && serverId !== undefined,
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
  const apply = useMutation({
    mutationFn: () => kestraApi.deploy({ serverId: serverId ?? '', ...target, dryRun: false }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['kestra-deploy'] }),
  });
  const plan = apply.data ?? compare.data;
  const changes = compare.data?.items.filter((i) => i.action !== 'unchanged').length ?? 0;
  const refused = compare.data?.items.some((i) => i.validation?.error || (i.result && !i.result.ok)) ?? false;

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (!o) apply.reset();
        onOpenChange(o);
      }}
      title="Deploy to Kestra"
      description="Flowbook compares with what the server has and lets Kestra validate first; nothing changes on the server until you deploy."
      wide
    >
      <div className="space-y-3">
        <div className="flex flex-wrap items-center gap-4">
          <ServerPicker
            value={serverId}
            enabled={open}
            onChange={(id) => {
              apply.reset();
              setServerId(id);
            }}
          />
          {namespace && (
            <fieldset className="flex items-center gap-3 text-[13px]">
              <legend className="sr-only">What to deploy</legend>
              <label className="flex items-center gap-1">
                <input type="radio" name="deploy-scope" checked={scope === 'notebook'} onChange={() => {
                    apply.reset();
                    setScope('notebook');
                  }} />
                this flow
              </label>
              <label className="flex items-center gap-1">
                <input type="radio" name="deploy-scope" checked={scope === 'namespace'} onChange={() => {
                    apply.reset();
                    setScope('namespace');
                  }} />
                every notebook of {namespace} (and its files)
              </label>
            </fieldset>
          )}
        </div>
        {serverId === undefined ? null : compare.isPending ? (
          <Loading what="the comparison with the server" />
        ) : compare.isError ? (
          <ErrorBox title="Could not compare with the server" message={errorMessage(compare.error)} />
        ) : plan ? (
          <PlanView plan={plan} />
        ) : null}
        {apply.isError && <ErrorBox title="Deploy failed" message={errorMessage(apply.error)} />}
        {compare.data && !apply.data && (
          <div className="flex items-center gap-2 pt-1">
            <Button variant="primary" disabled={changes === 0 || apply.isPending} onClick={() => apply.mutate()}>
              {apply.isPending ? 'Deploying…' : `Deploy ${changes} change${changes === 1 ? '' : 's'}`}
            </Button>
            <Button onClick={() => void compare.refetch()} disabled={compare.isFetching}>
              Compare again
            </Button>
            {refused && <span className="text-xs text-red-700 dark:text-red-300">Kestra would refuse some of these: they will fail, the others go through.</span>}
          </div>
        )}
      </div>
    </Dialog>
  );
}
