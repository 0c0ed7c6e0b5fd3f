import { describe, expect, it } from 'vitest';
import { ChartStore, chartStorageKey, parseCellCharts, type KeyValueStorage } from './chart-store';

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('remembered charts', () => {
  it('one localStorage entry per notebook and cell, holding every result of the cell', () => {
    const storage = memoryStorage();
    const store = new ChartStore(() => storage);
    store.set('nb1', 'query', 'statement-2', { open: true, spec: { kind: 'line', x: 'day', y: ['fare', 'tip'], group: 'vendor', agg: 'avg' } });
    store.set('nb1', 'query', 'statement-1', { open: false });
    expect([...storage.data.keys()]).toEqual([chartStorageKey('nb1', 'query')]);
    // A fresh store (a reloaded page) reads the same choice back.
    const reloaded = new ChartStore(() => storage);
    expect(reloaded.get('nb1', 'query')).toEqual({
      'statement-2': { open: true, spec: { kind: 'line', x: 'day', y: ['fare', 'tip'], group: 'vendor', agg: 'avg' } },
      'statement-1': { open: false, spec: undefined },
    });
    expect(reloaded.get('nb2', 'query')).toEqual({});
  });

  it('hands out the same object until a write, and tells subscribers of writes', () => {
    const store = new ChartStore(() => memoryStorage());
    const first = store.get('nb', 'c');
    expect(store.get('nb', 'c')).toBe(first);
    let calls = 0;
    const stop = store.subscribe(() => calls++);
    store.set('nb', 'c', 'result', { open: true });
    expect(store.get('nb', 'c')).not.toBe(first);
    expect(calls).toBe(1);
    stop();
    store.set('nb', 'c', 'result', { open: false });
    expect(calls).toBe(1);
  });

  it('ignores what it cannot read, and works without storage', () => {
    expect(parseCellCharts('not json')).toEqual({});
    expect(parseCellCharts('[1]')).toEqual({});
    expect(parseCellCharts(JSON.stringify({ a: { open: true, spec: { kind: 'pie', x: 'a', y: [] } }, b: 3 }))).toEqual({ a: { open: true, spec: undefined } });
    expect(parseCellCharts(JSON.stringify({ a: { spec: { kind: 'bar', x: 'a', y: ['b'], agg: 'median' } } }))).toEqual({
      a: { open: false, spec: { kind: 'bar', x: 'a', y: ['b'], group: undefined, agg: 'sum' } },
    });
    const store = new ChartStore(() => undefined);
    store.set('nb', 'c', 'result', { open: true });
    expect(store.get('nb', 'c')).toEqual({ result: { open: true } });
  });
});
