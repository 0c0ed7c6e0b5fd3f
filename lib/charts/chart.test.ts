import { describe, expect, it } from 'vitest';
import { binIndex, chartData, defaultChartSpec, fitChartSpec, histogramBins, niceScale, niceStep, niceTicks, timeTicks, type ChartSpec } from './chart';
import { columnKind, columnsOfRecords, describeColumns, sortRows, toTime, typeOfValues } from './columns';

const trips = {
  columns: [
    { name: 'vendor', type: 'VARCHAR' },
    { name: 'day', type: 'DATE' },
    { name: 'fare', type: 'DOUBLE' },
    { name: 'tip', type: 'DECIMAL(10,2)' },
  ],
  rows: [
    ['A', '2019-01-02', 10, 1],
    ['B', '2019-01-01', 20, 2],
    ['A', '2019-01-01', 30, 3],
    ['B', '2019-01-02', 5, null],
    ['A', '2019-01-02', 2.5, 0.5],
  ],
};
const cols = describeColumns(trips.columns, trips.rows);

describe('column kinds', () => {
  it('from the declared type, else from the values', () => {
    expect(cols.map((c) => c.kind)).toEqual(['text', 'time', 'number', 'number']);
    expect(columnKind({ name: 'x', type: 'JSON' }, [1, 2.5, null])).toBe('number');
    expect(columnKind({ name: 'x', type: 'VARCHAR' }, ['2019-01-01T10:00:00', null])).toBe('time');
    expect(columnKind({ name: 'x', type: 'VARCHAR' }, ['a', 1])).toBe('text');
    expect(columnKind({ name: 'x', type: 'INTERVAL' }, ['28 days'])).toBe('text');
  });

  it('types inline rows from their values', () => {
    expect(columnsOfRecords([{ a: 1, b: 'x', c: null }, { a: 2, b: null, c: 1.5, d: '2019-01-01', e: '2019-01-01T10:00:00' }])).toEqual([
      { name: 'a', type: 'number' },
      { name: 'b', type: 'text' },
      { name: 'c', type: 'number' },
      { name: 'd', type: 'date' },
      { name: 'e', type: 'timestamp' },
    ]);
    expect(describeColumns(columnsOfRecords([{ a: 1, d: '2019-01-01', t: 'x' }]), [[1, '2019-01-01', 'x']]).map((c) => c.kind)).toEqual(['number', 'time', 'text']);
    expect(typeOfValues([null, true])).toBe('boolean');
    expect(typeOfValues([{ a: 1 }])).toBe('json');
    expect(typeOfValues([null])).toBe('null');
  });

  it('reads times without a zone as UTC', () => {
    expect(toTime('2019-01-01')).toBe(Date.UTC(2019, 0, 1));
    expect(toTime('2019-01-01T00:46:40')).toBe(Date.UTC(2019, 0, 1, 0, 46, 40));
    expect(toTime('2019-01-01 10:00:00+01:00')).toBe(Date.UTC(2019, 0, 1, 9));
    expect(toTime('yesterday')).toBeUndefined();
  });

  it('sorts rows with nulls last either way', () => {
    const rows = [[2], [null], [10], [1]];
    expect(sortRows(rows, 0, 'asc').map((r) => r[0])).toEqual([1, 2, 10, null]);
    expect(sortRows(rows, 0, 'desc').map((r) => r[0])).toEqual([10, 2, 1, null]);
    expect(sortRows([['b10'], ['b9']], 0, 'asc').map((r) => r[0])).toEqual(['b9', 'b10']);
  });
});

describe('default and remembered specs', () => {
  it('labels against the first number column; times as a line; numbers alone as a histogram', () => {
    expect(defaultChartSpec(cols)).toEqual({ kind: 'bar', x: 'vendor', y: ['fare'], agg: 'sum' });
    expect(defaultChartSpec(cols.slice(1))).toEqual({ kind: 'line', x: 'day', y: ['fare'], agg: 'sum' });
    expect(defaultChartSpec(cols.slice(2, 3))).toEqual({ kind: 'histogram', x: 'fare', y: [], agg: 'count' });
    expect(defaultChartSpec(cols.slice(0, 1))).toEqual({ kind: 'bar', x: 'vendor', y: [], agg: 'count' });
    expect(defaultChartSpec([])).toBeUndefined();
  });

  it('drops columns that are gone from a remembered spec', () => {
    const spec: ChartSpec = { kind: 'line', x: 'day', y: ['fare', 'gone'], group: 'vendor', agg: 'avg' };
    expect(fitChartSpec(spec, cols)).toEqual({ kind: 'line', x: 'day', y: ['fare'], group: 'vendor', agg: 'avg' });
    expect(fitChartSpec({ ...spec, group: 'gone' }, cols)?.group).toBeUndefined();
    expect(fitChartSpec({ ...spec, x: 'gone' }, cols)).toEqual(defaultChartSpec(cols));
  });
});

describe('bar and line data', () => {
  it('one value per category: rows sharing an x are summed, text keeps the query order', () => {
    const data = chartData({ kind: 'bar', x: 'vendor', y: ['fare'], agg: 'sum' }, cols, trips.rows);
    expect(data.x).toEqual({ type: 'category', labels: ['A', 'B'] });
    expect(data.series).toEqual([
      {
        name: 'fare',
        points: [
          { x: 0, y: 42.5, label: 'A: 42.5' },
          { x: 1, y: 25, label: 'B: 25' },
        ],
      },
    ]);
    expect(data.yMin).toBe(0);
    expect(data.yLabel).toBe('sum of fare');
  });

  it('avg, count, min and max; nulls are not values', () => {
    const y = (agg: ChartSpec['agg']) => chartData({ kind: 'bar', x: 'vendor', y: ['tip'], agg }, cols, trips.rows).series[0].points.map((p) => p.y);
    expect(y('avg')).toEqual([1.5, 2]);
    expect(y('count')).toEqual([3, 1]);
    expect(y('min')).toEqual([0.5, 2]);
    expect(y('max')).toEqual([3, 2]);
    // No y: count the rows per category.
    const counted = chartData({ kind: 'bar', x: 'vendor', y: [], agg: 'count' }, cols, trips.rows);
    expect(counted.series.map((s) => [s.name, s.points.map((p) => p.y)])).toEqual([['count', [3, 2]]]);
  });

  it('several y columns: one series each; group by: one per group value (times each y)', () => {
    const two = chartData({ kind: 'bar', x: 'vendor', y: ['fare', 'tip'], agg: 'sum' }, cols, trips.rows);
    expect(two.series.map((s) => [s.name, s.points.map((p) => p.y)])).toEqual([
      ['fare', [42.5, 25]],
      ['tip', [4.5, 2]],
    ]);
    expect(two.series[1].points[0].label).toBe('A · tip: 4.5');

    const grouped = chartData({ kind: 'line', x: 'day', y: ['fare'], group: 'vendor', agg: 'sum' }, cols, trips.rows);
    expect(grouped.x).toEqual({ type: 'time', min: Date.UTC(2019, 0, 1), max: Date.UTC(2019, 0, 2) });
    expect(grouped.series.map((s) => [s.name, s.points.map((p) => [p.x, p.y])])).toEqual([
      ['A', [[Date.UTC(2019, 0, 1), 30], [Date.UTC(2019, 0, 2), 12.5]]],
      ['B', [[Date.UTC(2019, 0, 1), 20], [Date.UTC(2019, 0, 2), 5]]],
    ]);

    const both = chartData({ kind: 'bar', x: 'day', y: ['fare', 'tip'], group: 'vendor', agg: 'sum' }, cols, trips.rows);
    expect(both.series.map((s) => s.name)).toEqual(['A · fare', 'A · tip', 'B · fare', 'B · tip']);
    // Dates on a bar chart read in time order.
    expect(both.x).toEqual({ type: 'category', labels: ['2019-01-01', '2019-01-02'] });
  });

  it('caps series at 12 and says how many were left out', () => {
    const columns = describeColumns([{ name: 'k', type: 'VARCHAR' }, { name: 'g', type: 'VARCHAR' }, { name: 'v', type: 'BIGINT' }], []);
    const rows = Array.from({ length: 20 }, (_, i) => ['x', `g${i}`, i]);
    const data = chartData({ kind: 'bar', x: 'k', y: ['v'], group: 'g', agg: 'sum' }, columns, rows);
    expect(data.series).toHaveLength(12);
    expect(data.clippedSeries).toBe(8);
  });

  it('says what is missing instead of drawing nothing', () => {
    expect(chartData({ kind: 'bar', x: 'vendor', y: [], agg: 'sum' }, cols, trips.rows).problem).toMatch(/Pick a y column/);
    expect(chartData({ kind: 'histogram', x: 'vendor', y: [], agg: 'count' }, cols, trips.rows).problem).toMatch(/needs a number or time column/);
    expect(chartData({ kind: 'bar', x: 'nope', y: [], agg: 'count' }, cols, trips.rows).problem).toMatch(/no column nope/);
  });
});

describe('scatter data', () => {
  it('one point per row and y column, coloured by group; rows without numbers are counted', () => {
    const data = chartData({ kind: 'scatter', x: 'fare', y: ['tip'], group: 'vendor', agg: 'sum' }, cols, trips.rows);
    expect(data.series.map((s) => [s.name, s.points.map((p) => [p.x, p.y])])).toEqual([
      ['A', [[10, 1], [30, 3], [2.5, 0.5]]],
      ['B', [[20, 2]]],
    ]);
    expect(data.skipped).toBe(1);
    expect(data.x).toEqual({ type: 'number', min: 2.5, max: 30 });
    expect(data.yMin).toBe(0.5);
  });
});

describe('histograms', () => {
  it('round, equal bins covering every value; the last bin is closed', () => {
    expect(niceStep(0.7)).toBe(1);
    expect(niceStep(1.3)).toBe(2);
    expect(niceStep(37)).toBe(50);
    const bins = histogramBins([0, 3, 9.99, 10], 5);
    expect(bins).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
      { start: 4, end: 6 },
      { start: 6, end: 8 },
      { start: 8, end: 10 },
      { start: 10, end: 12 },
    ]);
    expect(binIndex(bins, 10)).toBe(5);
    expect(binIndex(bins, 1.999)).toBe(0);
    expect(histogramBins([4, 4])).toEqual([{ start: 3.5, end: 4.5 }]);
    expect(histogramBins([])).toEqual([]);
  });

  it('counts per bin, one stacked series per group', () => {
    const columns = describeColumns([{ name: 'fare', type: 'DOUBLE' }, { name: 'vendor', type: 'VARCHAR' }], []);
    const rows = [[1, 'A'], [2, 'A'], [2.5, 'B'], [9, 'B'], [null, 'A']];
    const data = chartData({ kind: 'histogram', x: 'fare', y: ['ignored'], group: 'vendor', agg: 'count' }, columns, rows);
    expect(data.bins?.[0]).toEqual({ start: 0, end: 2 });
    expect(data.series.map((s) => s.name)).toEqual(['A', 'B']);
    const total = (i: number) => data.series.reduce((t, s) => t + s.points[i].y, 0);
    expect(data.series[0].points.reduce((t, p) => t + p.y, 0)).toBe(2);
    expect(data.series[1].points.reduce((t, p) => t + p.y, 0)).toBe(2);
    expect(total(0)).toBe(1);
    expect(data.yMax).toBe(Math.max(...(data.bins ?? []).map((_, i) => total(i))));
    expect(data.skipped).toBe(1);
    expect(data.series[0].points[0].label).toBe('0 – 2 · A: 1');
  });

  it('ticks on round values', () => {
    expect(niceTicks(0, 42.5)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(0.5, 3, 5)).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
    expect(niceTicks(5, 5)).toEqual([5]);
    // Axes widen to round ends; counts tick on whole numbers.
    expect(niceScale(0, 19.99)).toEqual({ min: 0, max: 20, ticks: [0, 5, 10, 15, 20] });
    expect(niceScale(1, 12)).toEqual({ min: 0, max: 15, ticks: [0, 5, 10, 15] });
    expect(niceScale(0, 1, 5, true)).toEqual({ min: 0, max: 1, ticks: [0, 1] });
    expect(niceScale(3, 3).ticks).toEqual([2, 2.5, 3, 3.5, 4]);
  });

  it('time ticks on calendar boundaries', () => {
    const day = (d: number, m = 0) => Date.UTC(2019, m, d);
    expect(timeTicks(day(1), day(3))).toEqual([day(1), Date.UTC(2019, 0, 1, 12), day(2), Date.UTC(2019, 0, 2, 12), day(3)]);
    expect(timeTicks(day(1), day(12))).toEqual([day(2), day(4), day(6), day(8), day(10), day(12)]);
    expect(timeTicks(day(15), day(20, 6))).toEqual([day(1, 2), day(1, 4), day(1, 6)]);
    expect(timeTicks(day(1), day(1, 36)).map((t) => new Date(t).toISOString().slice(0, 7))).toEqual(['2019-01', '2020-01', '2021-01', '2022-01']);
  });
});
