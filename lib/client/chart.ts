/** The chart builder's data lives in lib/charts, shared with the run report; the page imports it from here as before. */
export * from '../charts/chart';
