/**
 * Kestra's execution and task-run states, and the pure rules that move between them.
 * The engine changes a state only through `transition()` (ExecutionRun.moveExecution and
 * finishTaskRun), so an impossible move (SUCCESS → RUNNING) is caught where it is attempted
 * instead of showing up as a confusing UI.
 */
export const STATES = [
  'CREATED',
  'QUEUED',
  'RUNNING',
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'CANCELLED',
  'SKIPPED',
] as const;

export type State = (typeof STATES)[number];
export type TerminalState = Extract<State, 'SUCCESS' | 'WARNING' | 'FAILED' | 'KILLED' | 'CANCELLED' | 'SKIPPED'>;

const TERMINAL: ReadonlySet<State> = new Set<State>(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'SKIPPED']);

export function isTerminal(state: State): state is TerminalState {
  return TERMINAL.has(state);
}

/** A run counts as successful for exit codes and `allowFailure` when it ended SUCCESS or WARNING. */
export function isSuccessful(state: State): boolean {
  return state === 'SUCCESS' || state === 'WARNING' || state === 'SKIPPED';
}

export type StateEvent =
  | { type: 'queue' }
  | { type: 'start' }
  | { type: 'succeed' }
  | { type: 'warn' }
  | { type: 'fail' }
  | { type: 'kill' }
  | { type: 'cancel' }
  | { type: 'skip' };

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

/** Pure state machine: `(state, event) → state`. Throws on a move Kestra never makes. */
export function transition(state: State, event: StateEvent): State {
  if (isTerminal(state)) throw new InvalidTransitionError(state, event.type);
  switch (event.type) {
    case 'queue':
      if (state !== 'CREATED') throw new InvalidTransitionError(state, event.type);
      return 'QUEUED';
    case 'start':
      if (state === 'RUNNING') throw new InvalidTransitionError(state, event.type);
      return 'RUNNING';
    case 'succeed':
      if (state !== 'RUNNING') throw new InvalidTransitionError(state, event.type);
      return 'SUCCESS';
    case 'warn':
      if (state !== 'RUNNING') throw new InvalidTransitionError(state, event.type);
      return 'WARNING';
    case 'fail':
      return 'FAILED';
    case 'kill':
      return 'KILLED';
    case 'cancel':
      return 'CANCELLED';
    case 'skip':
      if (state === 'RUNNING') throw new InvalidTransitionError(state, event.type);
      return 'SKIPPED';
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
      return { type: 'kill' };
    case 'CANCELLED':
      return { type: 'cancel' };
    case 'SKIPPED':
      return { type: 'skip' };
    default:
      return assertNever(outcome);
  }
}

/** The worst of several child states, as Kestra folds a flowable's children into its own state. */
export function worstState(states: readonly State[]): TerminalState {
  const order: TerminalState[] = ['KILLED', 'FAILED', 'CANCELLED', 'WARNING', 'SUCCESS', 'SKIPPED'];
  for (const s of order) if (states.includes(s)) return s;
  return 'SUCCESS';
}
