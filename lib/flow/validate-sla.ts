/**
 * The flow's `sla` list, as Kestra's SLA model reads it (core/.../models/flows/sla/SLA.java,
 * types/MaxDurationSLA.java, types/ExecutionAssertionSLA.java): an `id`, a `type`, a
 * `behavior`, the type's own property and optional `labels`, which may not be system labels.
 */
import { parseDurationMs } from '../model/duration';
import type { IssueList } from './issues';
import type { SlaBehavior, SlaSpec } from './types';
import { isRecord } from './walk';

const TYPES = ['MAX_DURATION', 'EXECUTION_ASSERTION'] as const;
const BEHAVIORS: readonly SlaBehavior[] = ['FAIL', 'CANCEL', 'NONE'];

function readSlaLabels(value: unknown, path: (string | number)[], issues: IssueList): Record<string, string> {
  const labels: Record<string, string> = {};
  const add = (key: string, v: unknown, at: (string | number)[]) => {
    if (key.startsWith('system.')) issues.error(at, `SLA label ${JSON.stringify(key)}: system labels can only be set by Kestra itself`);
    else labels[key] = String(v);
  };
  if (value === undefined || value === null) return labels;
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) add(k, v, [...path, k]);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (isRecord(item) && typeof item.key === 'string') add(item.key, item.value, [...path, i]);
      else issues.error([...path, i], 'an SLA label in a list must be a map with `key` and `value`');
    });
  } else {
    issues.error(path, '`labels` must be a map or a list of {key, value}');
  }
  return labels;
}

export function readSla(value: unknown, issues: IssueList): SlaSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    issues.error(['sla'], '`sla` must be a list');
    return [];
  }
  const out: SlaSpec[] = [];
  value.forEach((raw, i) => {
    const path = ['sla', i];
    if (!isRecord(raw)) {
      issues.error(path, 'an SLA must be a map with `id`, `type` and `behavior`');
      return;
    }
    const { id, type, behavior } = raw;
    let ok = true;
    if (typeof id !== 'string' || id === '') {
      issues.error(path, 'an SLA needs a string `id`');
      ok = false;
    }
    const knownType = TYPES.find((t) => t === type);
    if (!knownType) {
      issues.error(type === undefined ? path : [...path, 'type'], `SLA \`type\` must be one of ${TYPES.join(', ')}`);
      ok = false;
    }
    const knownBehavior = BEHAVIORS.find((b) => b === behavior);
    if (!knownBehavior) {
      issues.error(behavior === undefined ? path : [...path, 'behavior'], `SLA \`behavior\` must be one of ${BEHAVIORS.join(', ')}`);
      ok = false;
    }
    const labels = readSlaLabels(raw.labels, [...path, 'labels'], issues);
    if (knownType === 'MAX_DURATION') {
      if (typeof raw.duration !== 'string') {
        issues.error(path, 'a MAX_DURATION SLA needs a `duration`, an ISO-8601 duration like PT1H');
        return;
      }
      try {
        parseDurationMs(raw.duration, 'duration');
      } catch (err) {
        issues.error([...path, 'duration'], err instanceof Error ? err.message : String(err));
        return;
      }
      if (ok && typeof id === 'string' && knownBehavior) out.push({ id, type: knownType, behavior: knownBehavior, labels, duration: raw.duration });
    } else if (knownType === 'EXECUTION_ASSERTION') {
      const assertion = raw.assert;
      if (typeof assertion !== 'string' || assertion.trim() === '') {
        issues.error(path, 'an EXECUTION_ASSERTION SLA needs an `assert` expression');
        return;
      }
      if (ok && typeof id === 'string' && knownBehavior) out.push({ id, type: knownType, behavior: knownBehavior, labels, assert: assertion });
    }
  });
  return out;
}
