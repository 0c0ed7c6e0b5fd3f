/** Small display helpers shared by the views. */

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

export function durationBetween(start?: string, end?: string, now: number = Date.now()): number | undefined {
  if (!start) return undefined;
  const a = Date.parse(start);
  const b = end ? Date.parse(end) : now;
  return Number.isFinite(a) && Number.isFinite(b) ? Math.max(0, b - a) : undefined;
}

export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleTimeString(undefined, { hour12: false });
}

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { hour12: false });
}

/** A cell value as text: objects as JSON, null as an explicit marker. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function fileNameOf(uri: string): string {
  const clean = uri.split('?')[0];
  const last = clean.split('/').pop() ?? clean;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** Every kestra:/// URI in a task's outputs, with the output path that holds it. */
export function kestraUris(outputs: unknown, path = ''): { path: string; uri: string }[] {
  if (typeof outputs === 'string') return outputs.startsWith('kestra:///') ? [{ path, uri: outputs }] : [];
  if (Array.isArray(outputs)) return outputs.flatMap((v, i) => kestraUris(v, `${path}[${i}]`));
  if (outputs && typeof outputs === 'object') {
    return Object.entries(outputs).flatMap(([k, v]) => kestraUris(v, path ? `${path}.${k}` : k));
  }
  return [];
}
