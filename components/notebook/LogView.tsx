'use client';
/**
 * Log lines, virtualized so a task printing 100k lines stays smooth. `lines` is the
 * store's own array (appended in place); `version` tells us it grew. A long or multi-line
 * message wraps: each row is measured once drawn, so rows grow instead of overlapping.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { LOG_LEVELS, type LogLevel } from '@/lib/model/log';
import type { LogDto } from '@/lib/contract';

const ROW = 18;

const LEVEL_CLASS: Record<LogLevel, string> = {
  TRACE: 'text-slate-500',
  DEBUG: 'text-slate-400',
  INFO: 'text-emerald-400',
  WARN: 'text-amber-400',
  ERROR: 'text-red-400',
};

function time(at: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  return `${d.toLocaleTimeString(undefined, { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export function LogView({
  lines,
  version,
  live,
  showTask = false,
  emptyText = 'No log lines.',
}: {
  lines: readonly LogDto[];
  version: number;
  live: boolean;
  showTask?: boolean;
  emptyText?: string;
}) {
  const [minLevel, setMinLevel] = useState<LogLevel>('TRACE');
  const [search, setSearch] = useState('');
  const [follow, setFollow] = useState(true);
  const scrollRef = useRef<HTMLDivElement>(null);

  const shown = useMemo(() => {
    const min = LOG_LEVELS.indexOf(minLevel);
    const needle = search.trim().toLowerCase();
    if (min === 0 && !needle) return lines;
    return lines.filter((l) => LOG_LEVELS.indexOf(l.level) >= min && (!needle || l.message.toLowerCase().includes(needle)));
    // version marks in-place growth of `lines`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lines, version, minLevel, search]);
  const count = shown.length;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 20,
    // Rows are keyed by their line, so a measured height stays with its line when filtering.
    getItemKey: (index) => shown[index]?.seq ?? index,
  });
  const total = virtualizer.getTotalSize();

  useEffect(() => {
    if (follow && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [follow, count, virtualizer]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2;
    if (!atBottom && follow) setFollow(false);
    if (atBottom && !follow) setFollow(true);
  };

  return (
    <div className="overflow-hidden" data-testid="log-view">
      <div className="border-theme bg-code flex flex-wrap items-center gap-2 border-b px-3 py-1 text-xs">
        {live && (
          <span className="flex items-center gap-1 text-amber-600">
            <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-amber-500" /> live
          </span>
        )}
        <label className="text-muted flex items-center gap-1">
          level
          <select aria-label="Minimum log level" className="rounded border border-current/20 bg-transparent px-1" value={minLevel} onChange={(e) => setMinLevel(e.target.value as LogLevel)}>
            {LOG_LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          aria-label="Search logs"
          placeholder="search…"
          className="w-40 rounded border border-current/20 bg-transparent px-1.5"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label className="text-muted flex items-center gap-1">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow
        </label>
        <span className="flex-1" />
        <span className="text-muted" data-testid="log-count">
          {count === lines.length ? `${count.toLocaleString()} lines` : `${count.toLocaleString()} of ${lines.length.toLocaleString()} lines`}
        </span>
      </div>
      <div
        ref={scrollRef}
        onScroll={onScroll}
        className="overflow-auto font-mono text-xs"
        style={{ background: 'var(--log-bg)', color: 'var(--log-text)', height: Math.min(Math.max(total, 3 * ROW), 16 * ROW) + 12 }}
      >
        {count === 0 ? (
          <div className="px-3 py-2 text-slate-500">{lines.length ? 'No line matches the filter.' : emptyText}</div>
        ) : (
          <div style={{ height: total, position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const l = shown[item.index];
              return (
                <div
                  key={item.key}
                  ref={virtualizer.measureElement}
                  data-index={item.index}
                  data-testid="log-line"
                  className="absolute left-0 flex w-full gap-2 px-3"
                  style={{ top: 6, transform: `translateY(${item.start}px)`, lineHeight: `${ROW}px` }}
                >
                  <span className="shrink-0 text-slate-500">{time(l.at)}</span>
                  <span className={`w-10 shrink-0 ${LEVEL_CLASS[l.level]}`}>{l.level}</span>
                  {showTask && <span className="shrink-0 text-sky-400">{l.taskId ?? '·'}</span>}
                  <span className="min-w-0 flex-1 break-words whitespace-pre-wrap">{l.message}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
