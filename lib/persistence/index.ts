/** Persistence: an ordered queue, the store it feeds, and start-up recovery. */
export { EventPersister } from './persister';
export type { Broadcaster } from './store';
export { killOrphanedExecutions, recoverAfterCrash, waitingAtPause, type EndedLeftovers, type RecoveryReport } from './recovery';
export { storedLogReader } from './stored-logs';
