/**
 * Kestra's execution and task-run states (`State.Type` in Kestra's
 * core/src/main/java/io/kestra/core/models/flows/State.java), and the one pure function that
 * moves between them. The engine changes a state only through `transition()`, so an
 * impossible move (SUCCESS → RUNNING) is caught where it is attempted instead of showing up
 * as a confusing UI.
 */
export const STATES = [
  'CREATED',
  'QUEUED',
  'RUNNING',
  'PAUSED',
  'RESTARTED',
  'KILLING',
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'CANCELLED',
  'RETRYING',
  'RETRIED',
  'SKIPPED',
] as const;

export type State = (typeof STATES)[number];
export type TerminalState = Extract<State, 'SUCCESS' | 'WARNING' | 'FAILED' | 'KILLED' | 'CANCELLED' | 'RETRIED' | 'SKIPPED'>;

const TERMINAL: ReadonlySet<State> = new Set<State>(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED', 'SKIPPED']);

/** Kestra's `isTerminated()`: the run will not change any more. */
export function isTerminal(state: State): state is TerminalState {
  return TERMINAL.has(state);
}

/** Every state a run can still leave; what start-up recovery looks for after a crash. */
export const ACTIVE_STATES: readonly State[] = STATES.filter((s) => !TERMINAL.has(s));

/** A run counts as successful for exit codes and `allowFailure` when it ended SUCCESS or WARNING. */
export function isSuccessful(state: State): boolean {
  return state === 'SUCCESS' || state === 'WARNING' || state === 'SKIPPED';
}

/** Kestra's `isRunning()`: work is under way (a kill may be on its way). */
export function isRunning(state: State): boolean {
  return state === 'RUNNING' || state === 'KILLING';
}

export type StateEvent =
  | { type: 'queue' }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'retry' }
  | { type: 'restart' }
  | { type: 'kill' }
  | { type: 'killed' }
  | { type: 'succeed' }
  | { type: 'warn' }
  | { type: 'fail' }
  | { type: 'cancel' }
  | { type: 'skip' }
  | { type: 'retried' };

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: State,
    readonly event: StateEvent['type'],
  ) {
    super(`cannot ${event} a run that is ${from}`);
    this.name = 'InvalidTransitionError';
  }
}

function from(state: State, event: StateEvent, allowed: readonly State[], to: State): State {
  if (!allowed.includes(state)) throw new InvalidTransitionError(state, event.type);
  return to;
}

/**
 * Pure state machine: `(state, event) → state`. Throws on a move Kestra never makes.
 *
 * - A retry moves RUNNING → RETRYING, and the next attempt starts RETRYING → RUNNING.
 * - A kill moves a run to KILLING while its work stops, then KILLING → KILLED; a run that
 *   never started (CREATED, QUEUED) or that waits (PAUSED, RETRYING) may be KILLED at once.
 * - RETRIED ends a run that is replaced by a new execution (retry `behavior: CREATE_NEW_EXECUTION`).
 * - Only a restart leaves a terminal state: FAILED, KILLED or CANCELLED → RESTARTED.
 */
export function transition(state: State, event: StateEvent): State {
  if (event.type === 'restart') return from(state, event, ['FAILED', 'KILLED', 'CANCELLED', 'PAUSED'], 'RESTARTED');
  if (isTerminal(state)) throw new InvalidTransitionError(state, event.type);
  switch (event.type) {
    case 'queue':
      return from(state, event, ['CREATED'], 'QUEUED');
    case 'start':
      return from(state, event, ['CREATED', 'QUEUED', 'RESTARTED', 'RETRYING'], 'RUNNING');
    case 'pause':
      return from(state, event, ['RUNNING'], 'PAUSED');
    case 'resume':
      return from(state, event, ['PAUSED'], 'RUNNING');
    case 'retry':
      return from(state, event, ['RUNNING'], 'RETRYING');
    case 'kill':
      if (state === 'KILLING') throw new InvalidTransitionError(state, event.type);
      return 'KILLING';
    case 'killed':
      return 'KILLED';
    // A Pause task run ends straight from PAUSED when resumed (Kestra's ExecutionService.markAs).
    case 'succeed':
      return from(state, event, ['RUNNING', 'PAUSED'], 'SUCCESS');
    case 'warn':
      return from(state, event, ['RUNNING', 'PAUSED'], 'WARNING');
    case 'fail':
      return 'FAILED';
    case 'cancel':
      return 'CANCELLED';
    case 'skip':
      return from(state, event, ['CREATED', 'QUEUED'], 'SKIPPED');
    case 'retried':
      return from(state, event, ['RUNNING', 'RETRYING', 'PAUSED'], 'RETRIED');
    default:
      return assertNever(event);
  }
}

/** The event that ends a run with the given outcome. */
export function endEvent(outcome: TerminalState): StateEvent {
  switch (outcome) {
    case 'SUCCESS':
      return { type: 'succeed' };
    case 'WARNING':
      return { type: 'warn' };
    case 'FAILED':
      return { type: 'fail' };
    case 'KILLED':
      return { type: 'killed' };
    case 'CANCELLED':
      return { type: 'cancel' };
    case 'SKIPPED':
      return { type: 'skip' };
    case 'RETRIED':
      return { type: 'retried' };
    default:
      return assertNever(outcome);
  }
}

/**
 * The state a flowable (or the execution) ends in from its children's states, as Kestra's
 * `Execution.guessFinalState`: the last KILLED, else FAILED, else WARNING, else SUCCESS. A
 * skipped or empty list is a success.
 */
export function finalState(states: readonly State[]): Extract<TerminalState, 'KILLED' | 'FAILED' | 'WARNING' | 'SUCCESS'> {
  for (const s of ['KILLED', 'FAILED', 'WARNING'] as const) if (states.includes(s)) return s;
  return 'SUCCESS';
}
