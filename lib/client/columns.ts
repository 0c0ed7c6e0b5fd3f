/** Result columns live in lib/charts, shared with the run report; the page imports them from here as before. */
export * from '../charts/columns';
