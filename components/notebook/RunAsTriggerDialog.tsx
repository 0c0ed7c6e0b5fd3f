'use client';
/**
 * "Run as trigger…": runs the whole flow as one of its Schedule triggers would at a date the
 * user picks, so `trigger.date`, `trigger.next` and `trigger.previous` are set and the
 * trigger's own inputs apply, as in a scheduled run. Dates are read in UTC, as the
 * execution's `trigger.date` is written.
 */
import { useState, type FormEvent } from 'react';
import type { NotebookDto, ScheduleDto } from '@/lib/contract';
import { errorMessage } from '@/lib/client/api';
import { useSchedules } from '@/lib/client/schedules';
import { cellText } from '@/lib/client/format';
import { Dialog } from '@/components/ui/Dialog';
import { Button } from '@/components/ui/Button';
import { ErrorBox, Loading } from '@/components/ui/States';

export interface TriggerRun {
  triggerId: string;
  /** ISO, UTC. */
  triggerDate: string;
}

/** `datetime-local` text of an instant in UTC ("2019-02-01T09:00"). */
function utcInput(iso: string | undefined): string {
  return iso ? iso.slice(0, 16) : '';
}

/** The instant a `datetime-local` text names when read in UTC; undefined when it names none. */
export function utcInstant(text: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) return undefined;
  const at = new Date(`${text.length === 16 ? `${text}:00` : text}Z`);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** The top bar's button; shown only for flows with a Schedule trigger. */
export function RunAsTriggerButton({ notebook, onRun }: { notebook: NotebookDto; onRun: (run: TriggerRun) => void }) {
  const [open, setOpen] = useState(false);
  const schedules = useSchedules(notebook.id, notebook.version);
  if (!notebook.flow || !schedules.data?.length) return null;
  return (
    <>
      <Button onClick={() => setOpen(true)} title="Run the flow as a Schedule trigger would at a date you pick (sets trigger.date)">
        ▷ Run as trigger…
      </Button>
      {open && (
        <RunAsTriggerDialog
          open={open}
          onOpenChange={setOpen}
          notebook={notebook}
          onRun={(run) => {
            setOpen(false);
            onRun(run);
          }}
        />
      )}
    </>
  );
}

export function RunAsTriggerDialog({
  open,
  onOpenChange,
  notebook,
  onRun,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  notebook: NotebookDto;
  onRun: (run: TriggerRun) => void;
}) {
  const schedules = useSchedules(notebook.id, notebook.version);
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Run as trigger"
      description="Runs every cell as the Schedule trigger would at this date: trigger.date, trigger.next and trigger.previous are set, and the trigger's inputs replace the form's."
    >
      {schedules.isPending ? (
        <Loading what="triggers" />
      ) : schedules.isError ? (
        <ErrorBox title="The triggers could not be read" message={errorMessage(schedules.error)} />
      ) : (
        <TriggerForm schedules={schedules.data} onRun={onRun} />
      )}
    </Dialog>
  );
}

function TriggerForm({ schedules, onRun }: { schedules: ScheduleDto[]; onRun: (run: TriggerRun) => void }) {
  const [triggerId, setTriggerId] = useState(schedules[0]?.id ?? '');
  const chosen = schedules.find((s) => s.id === triggerId);
  const [date, setDate] = useState(() => utcInput(schedules[0]?.previousFire));
  const [error, setError] = useState<string | null>(null);
  const instant = utcInstant(date);
  const field = 'surface border-theme rounded-md border px-2 py-1 text-[13px]';

  function pick(id: string) {
    setTriggerId(id);
    const s = schedules.find((x) => x.id === id);
    // A new trigger starts at its own latest slot, unless a date was typed already.
    if (s?.previousFire && (!date || date === utcInput(chosen?.previousFire))) setDate(utcInput(s.previousFire));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!chosen) return setError('Choose a trigger.');
    if (!instant) return setError('Give a date and time (UTC), like 2019-02-01T09:00.');
    onRun({ triggerId: chosen.id, triggerDate: instant });
  }

  const inputs = Object.entries(chosen?.inputs ?? {});
  return (
    <form onSubmit={submit} className="space-y-3 text-[13px]" aria-label="Run as trigger">
      <label className="flex flex-col gap-1 text-xs">
        Trigger
        <select className={field} value={triggerId} onChange={(e) => pick(e.target.value)} aria-label="Trigger">
          {schedules.map((s) => (
            <option key={s.id} value={s.id}>
              {s.id} — {s.description}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs">
        Trigger date (UTC)
        <input type="datetime-local" className={field} value={date} onChange={(e) => setDate(e.target.value)} aria-label="Trigger date (UTC)" required />
      </label>
      <p className="text-muted text-xs" data-testid="trigger-preview">
        {instant ? (
          <>
            trigger.date = <code className="font-mono">{instant.replace('.000Z', 'Z')}</code>
            {chosen && chosen.timezone !== 'UTC' && <> · the cron reads times in {chosen.timezone}</>}
          </>
        ) : (
          'Pick the date the trigger fires at.'
        )}
      </p>
      {inputs.length > 0 && (
        <p className="text-muted text-xs" data-testid="trigger-inputs">
          Inputs from the trigger (they replace the form's): {inputs.map(([k, v]) => `${k} = ${cellText(v)}`).join(', ')}
        </p>
      )}
      {chosen?.disabled && <p className="text-xs text-amber-700 dark:text-amber-300">This trigger is switched off: it does not fire on its own, but it can run here.</p>}
      {error && <ErrorBox title="Run as trigger" message={error} />}
      <div className="flex justify-end">
        <Button type="submit" variant="primary" disabled={!instant || !chosen}>
          ▶ Run as {chosen?.id ?? 'trigger'}
        </Button>
      </div>
    </form>
  );
}
