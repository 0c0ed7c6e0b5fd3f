'use client';
/**
 * The notebook's Schedule triggers: the cron in words, when each fires next, the on/off
 * switch (the trigger's own `disabled` in the YAML) and a backfill form that replays the
 * trigger over a past window, one execution per slot.
 */
import { useState, type FormEvent } from 'react';
import type { InputSpec, NotebookDto } from '@/lib/contract';
import type { BackfillResponse, ScheduleDto } from '@/lib/contract';
import { errorMessage } from '@/lib/client/api';
import { useBackfill, useSchedules, useSetScheduleDisabled } from '@/lib/client/schedules';
import { useExecutionLive } from '@/lib/client/realtime';
import { cellText, formatDateTime } from '@/lib/client/format';
import { Dialog } from '@/components/ui/Dialog';
import { Button } from '@/components/ui/Button';
import { Badge } from '@/components/ui/Badge';
import { StateIcon } from '@/components/ui/StateIcon';
import { ErrorBox, Loading, Empty } from '@/components/ui/States';

/** The header button ("Schedules (N on)") and the dialog it opens. */
export function SchedulesButton({ notebook }: { notebook: NotebookDto }) {
  const [open, setOpen] = useState(false);
  const schedules = useSchedules(notebook.id, notebook.version);
  const on = schedules.data?.filter((s) => !s.disabled).length ?? 0;
  return (
    <>
      <Button onClick={() => setOpen(true)} title="Schedule triggers: on/off and backfill">
        ◷ Schedules ({on} on)
      </Button>
      <SchedulesDialog open={open} onOpenChange={setOpen} notebook={notebook} />
    </>
  );
}

export function SchedulesDialog({ open, onOpenChange, notebook }: { open: boolean; onOpenChange: (o: boolean) => void; notebook: NotebookDto }) {
  const schedules = useSchedules(notebook.id, notebook.version);
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Schedules"
      description="Schedule triggers fire while Flowbook runs. Switching one off writes disabled: true into the trigger's YAML, as in Kestra."
      wide
    >
      {schedules.isPending ? (
        <Loading what="schedules" />
      ) : schedules.isError ? (
        <ErrorBox title="Schedules could not be read" message={errorMessage(schedules.error)} />
      ) : schedules.data.length === 0 ? (
        <Empty>This flow has no Schedule trigger. Add one under `triggers:` with a `cron` to run it on a schedule.</Empty>
      ) : (
        <div className="space-y-4">
          {schedules.data.map((s) => (
            <ScheduleCard key={s.id} schedule={s} notebook={notebook} />
          ))}
        </div>
      )}
    </Dialog>
  );
}

function ScheduleCard({ schedule: s, notebook }: { schedule: ScheduleDto; notebook: NotebookDto }) {
  const toggle = useSetScheduleDisabled(notebook.id);
  const on = !s.disabled;
  return (
    <section className="border-theme rounded-lg border" data-testid="schedule" data-trigger-id={s.id} aria-label={`Schedule ${s.id}`}>
      <header className="border-theme flex items-start gap-3 border-b px-4 py-3">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-[13px] font-semibold">{s.id}</span>
            <code className="bg-code rounded px-1.5 font-mono text-xs">{s.cron}</code>
            <Badge tone="blue" title="Time zone the cron is read in">
              {s.timezone}
            </Badge>
          </div>
          <p className="mt-1 text-[14px]" data-testid="schedule-description">
            {s.description}
          </p>
          <p className="text-muted mt-0.5 text-xs" data-testid="schedule-next">
            {s.problem ? (
              <span className="text-red-600">{s.problem}</span>
            ) : s.nextFire ? (
              <>Next run {formatDateTime(s.nextFire)}</>
            ) : (
              <>Off: it does not fire</>
            )}
            {s.lastEvaluated && <> · last checked {formatDateTime(s.lastEvaluated)}</>}
          </p>
        </div>
        <button
          type="button"
          role="switch"
          aria-checked={on}
          aria-label={`Schedule ${s.id} on`}
          disabled={toggle.isPending}
          onClick={() => toggle.mutate({ triggerId: s.id, disabled: on })}
          className={`relative mt-1 inline-flex h-6 w-11 shrink-0 items-center rounded-full border transition-colors disabled:opacity-60 ${on ? 'border-emerald-700 bg-emerald-600' : 'border-theme bg-slate-300 dark:bg-slate-700'}`}
        >
          <span className={`inline-block h-4 w-4 rounded-full bg-white shadow transition-transform ${on ? 'translate-x-6' : 'translate-x-1'}`} />
        </button>
        <span className="text-muted mt-1 w-7 text-xs">{on ? 'On' : 'Off'}</span>
      </header>
      {toggle.isError && (
        <div className="px-4 pt-3">
          <ErrorBox title="Switch failed" message={errorMessage(toggle.error)} />
        </div>
      )}
      <BackfillForm schedule={s} notebook={notebook} />
    </section>
  );
}

/** `datetime-local` text for an instant, in the browser's zone. */
function localInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function parseLabels(text: string): { labels: Record<string, string> } | { error: string } {
  const labels: Record<string, string> = {};
  for (const part of text.split(/[\n,]/).map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { error: `label "${part}" is not key=value` };
    labels[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { labels };
}

/** An input value as the form shows it: strings as they are, anything else as JSON. */
function inputText(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
}

function BackfillForm({ schedule: s, notebook }: { schedule: ScheduleDto; notebook: NotebookDto }) {
  const backfill = useBackfill(notebook.id);
  const flowInputs: InputSpec[] = notebook.flow?.inputs ?? [];
  const [start, setStart] = useState(() => {
    const d = new Date();
    return localInput(new Date(d.getFullYear(), d.getMonth() - 1, 1));
  });
  const [end, setEnd] = useState(() => localInput(new Date()));
  const [labelText, setLabelText] = useState('backfill=true');
  const [inputs, setInputs] = useState<Record<string, string>>(() =>
    Object.fromEntries(flowInputs.map((i) => [i.id, inputText(s.inputs[i.id])])),
  );
  const [formError, setFormError] = useState<string | null>(null);
  const [result, setResult] = useState<BackfillResponse | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const startAt = new Date(start);
    const endAt = new Date(end);
    if (Number.isNaN(startAt.getTime()) || Number.isNaN(endAt.getTime())) return setFormError('Give both a start and an end date-time.');
    const parsed = parseLabels(labelText);
    if ('error' in parsed) return setFormError(parsed.error);
    const values: Record<string, unknown> = {};
    for (const spec of flowInputs) {
      const text = inputs[spec.id] ?? '';
      if (text === '') continue;
      const fromTrigger = s.inputs[spec.id];
      if (fromTrigger !== undefined && typeof fromTrigger !== 'string') {
        try {
          values[spec.id] = JSON.parse(text) as unknown;
        } catch {
          return setFormError(`input ${spec.id}: "${text}" is not valid JSON`);
        }
      } else values[spec.id] = text;
    }
    setResult(null);
    backfill.mutate(
      { triggerId: s.id, body: { start: startAt.toISOString(), end: endAt.toISOString(), labels: parsed.labels, inputs: values } },
      { onSuccess: setResult },
    );
  }

  const field = 'surface border-theme rounded-md border px-2 py-1 text-[13px]';
  return (
    <form onSubmit={submit} className="space-y-3 px-4 py-3" aria-label={`Backfill ${s.id}`}>
      <h3 className="text-[13px] font-semibold">Backfill</h3>
      <p className="text-muted text-xs">
        Replays every slot between start and end (your time zone), including slots that already ran: one execution per slot, with{' '}
        <code>trigger.date</code> set to the slot.
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-xs">
          Start
          <input type="datetime-local" className={field} value={start} onChange={(e) => setStart(e.target.value)} aria-label="Backfill start" required />
        </label>
        <label className="flex flex-col gap-1 text-xs">
          End
          <input type="datetime-local" className={field} value={end} onChange={(e) => setEnd(e.target.value)} aria-label="Backfill end" required />
        </label>
        <label className="flex min-w-48 flex-1 flex-col gap-1 text-xs">
          Labels (key=value, comma separated)
          <input type="text" className={field} value={labelText} onChange={(e) => setLabelText(e.target.value)} aria-label="Backfill labels" />
        </label>
      </div>
      {flowInputs.length > 0 && (
        <fieldset className="grid grid-cols-[auto_1fr] items-center gap-x-3 gap-y-1.5">
          <legend className="text-muted mb-1 text-xs">Inputs (prefilled from the trigger; empty means the flow default)</legend>
          {flowInputs.map((spec) => (
            <label key={spec.id} className="contents text-xs">
              <span className="font-mono">
                {spec.id} <span className="text-muted">{spec.type}</span>
              </span>
              <input
                type="text"
                className={field}
                value={inputs[spec.id] ?? ''}
                placeholder={spec.defaults === undefined ? '' : inputText(spec.defaults)}
                onChange={(e) => setInputs((v) => ({ ...v, [spec.id]: e.target.value }))}
                aria-label={`Backfill input ${spec.id}`}
              />
            </label>
          ))}
        </fieldset>
      )}
      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={s.disabled || backfill.isPending}>
          ⟲ Start backfill
        </Button>
        {s.disabled && <span className="text-muted text-xs">Switch the trigger on to backfill it.</span>}
      </div>
      {formError && <ErrorBox title="Backfill" message={formError} />}
      {backfill.isError && <ErrorBox title="Backfill refused" message={errorMessage(backfill.error)} />}
      {result && <BackfillRuns result={result} />}
    </form>
  );
}

function BackfillRuns({ result }: { result: BackfillResponse }) {
  const n = result.executions.length;
  return (
    <div data-testid="backfill-runs">
      <p className="mb-1 text-xs font-semibold" role="status">
        {n} execution{n === 1 ? '' : 's'} started (also listed under Runs)
      </p>
      <ul className="border-theme rounded-md border">
        {result.executions.map((e) => (
          <BackfillRun key={e.executionId} executionId={e.executionId} triggerDate={e.triggerDate} />
        ))}
      </ul>
    </div>
  );
}

function BackfillRun({ executionId, triggerDate }: { executionId: string; triggerDate: string }) {
  const { live } = useExecutionLive(executionId);
  const state = live?.execution?.state;
  const outputs = live ? [...live.taskRuns.values()].filter((tr) => tr.outputs && Object.keys(tr.outputs).length > 0) : [];
  const logs = live?.logs.all ?? [];
  return (
    <li className="border-theme border-b px-3 py-2 text-xs last:border-b-0" data-testid="backfill-run" data-execution-id={executionId} data-state={state ?? 'CREATED'}>
      <div className="flex items-center gap-2">
        <StateIcon state={state ?? 'CREATED'} />
        <span className="font-medium">{formatDateTime(triggerDate)}</span>
        <span className="text-muted font-mono">{executionId}</span>
      </div>
      {outputs.length > 0 && (
        <div className="mt-1 pl-6 font-mono" data-testid="backfill-outputs">
          {outputs.map((tr) => (
            <div key={tr.id}>
              {tr.taskId}: {Object.entries(tr.outputs ?? {}).map(([k, v]) => `${k} = ${cellText(v)}`).join(', ')}
            </div>
          ))}
        </div>
      )}
      {logs.length > 0 && (
        <div className="text-muted mt-1 pl-6 font-mono" data-testid="backfill-logs">
          {logs.slice(-3).map((l) => (
            <div key={l.seq} className="truncate">
              {l.taskId ? `${l.taskId} · ` : ''}
              {l.message}
            </div>
          ))}
        </div>
      )}
    </li>
  );
}
