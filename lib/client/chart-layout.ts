/** Chart geometry shared with the run report (lib/charts/layout.ts); the page imports it from here. */
export * from '../charts/layout';
