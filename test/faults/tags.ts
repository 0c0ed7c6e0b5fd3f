/**
 * The fault suite's slow tag: cases that take minutes (a transport cut for 5 minutes, 10,000
 * ticks of two racing schedulers on each database) run in full only with FLOWBOOK_FAULTS_SLOW=1;
 * without it CI runs a shorter version of the same test.
 */
export const SLOW = process.env.FLOWBOOK_FAULTS_SLOW === '1';
