/**
 * Execution labels as Kestra sets them (Execution.newExecution, RunVariables.mapLabel): the
 * flow's labels without system ones, then the labels the execution was started with, and a
 * `system.correlationId` equal to the execution id unless one was inherited.
 */
export const SYSTEM_PREFIX = 'system.';
export const CORRELATION_ID = 'system.correlationId';

export function initialLabels(flowLabels: Record<string, string>, requested: Record<string, string> | undefined, executionId: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(flowLabels)) if (!k.startsWith(SYSTEM_PREFIX)) labels[k] = v;
  Object.assign(labels, requested);
  labels[CORRELATION_ID] ??= executionId;
  return labels;
}

/** `labels` in templates: system labels sit under `system`, so `{{ labels.system.correlationId }}` reads one. */
export function executionLabelVariables(labels: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const system: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith(SYSTEM_PREFIX)) system[k.slice(SYSTEM_PREFIX.length)] = v;
    else out[k] = v;
  }
  if (Object.keys(system).length > 0) out.system = system;
  return out;
}
