import { expect, type Locator } from '@playwright/test';
import type { CellObject } from './NotebookPage';

/** The Results tab of one cell: statement tabs, the grid and the chart builder. */
export class CellResults {
  readonly tab: Locator;
  readonly statementTabs: Locator;
  readonly grid: Locator;
  readonly rows: Locator;
  readonly range: Locator;
  readonly chartToggle: Locator;
  readonly builder: Locator;
  readonly chart: Locator;
  readonly bars: Locator;
  readonly legend: Locator;
  readonly xAxis: Locator;
  readonly groupBy: Locator;
  readonly aggregate: Locator;

  constructor(readonly cell: CellObject) {
    const root = cell.root;
    this.tab = root.getByRole('tab', { name: /^Results/ });
    this.statementTabs = root.getByRole('tablist', { name: `${cell.taskId} statements` }).getByRole('tab');
    this.grid = root.getByTestId('data-grid');
    this.rows = this.grid.getByTestId('grid-row');
    this.range = this.grid.getByTestId('grid-range');
    this.chartToggle = root.getByRole('button', { name: 'Chart', exact: true });
    this.builder = root.getByTestId('chart-builder');
    this.chart = this.builder.getByRole('img', { name: 'Chart of the results' });
    this.bars = this.chart.locator('rect');
    this.legend = this.builder.getByTestId('chart-legend');
    this.xAxis = this.builder.getByLabel('X axis');
    this.groupBy = this.builder.getByLabel('Group by');
    this.aggregate = this.builder.getByLabel('Aggregate');
  }

  async expectShown() {
    await expect(this.tab).toHaveAttribute('aria-selected', 'true');
  }

  kind(name: 'bar' | 'line' | 'scatter' | 'histogram'): Locator {
    return this.builder.getByRole('group', { name: 'Chart kind' }).getByRole('button', { name, exact: true });
  }

  /** The checkbox of a y column. */
  y(column: string): Locator {
    return this.builder.getByRole('group', { name: 'Y axis' }).getByRole('checkbox', { name: column, exact: true });
  }

  async openChart() {
    await expect(this.chartToggle).toBeVisible();
    if ((await this.chartToggle.getAttribute('aria-pressed')) !== 'true') await this.chartToggle.click();
    await expect(this.builder).toBeVisible();
  }
}
