export { Engine, MAX_SUBFLOW_DEPTH, type EngineOptions, type ExecutionResult, type RunRequest, type StoredLogs } from './engine';
export { MissingUpstreamError, UnknownTaskError, type RunMode } from './plan';
export { createTestRunContext } from './run-context';
export { STATES, isTerminal, isSuccessful, type State } from '../model/states';
export type { SecretProvider } from './template-host';
export { EventBus, type EngineEvent, type ExecutionOrigin, type ExecutionSnapshot, type LogLine, type TaskRun } from './events';
export { flowsResolver, SUBFLOW_TRIGGER_TYPE, type FlowResolver, type ResolvedFlow } from './subflows';
