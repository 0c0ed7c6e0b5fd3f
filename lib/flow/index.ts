/** The flow model: parse with source positions, validate, edit in place, export, lineage. */
export type {
  ConcurrencyBehavior, FlowIssue, FlowSpec, InputSpec, InputType, ParsedFlow, PluginDefault, RawTask, SlaSpec, SourcePos,
  TaskLocation, YamlPath,
} from './types';
export { INPUT_TYPES, isInputType } from './types';
export { parseFlow, validateFlow, exportFlow, type ValidateOptions, type DefinitionLookup, type TaskTypeSchema } from './parse';
export { formatIssue, hasErrors } from './issues';
export { positionOf, nearestPositionOf, formatPath } from './positions';
export { walkTasks } from './walk';
export { childListsOf, childPropertyNames, isFlowableType } from './children';
export { cronProblem, isValidTimeZone, SCHEDULE_TYPES } from './validate-triggers';
export { MAX_ALIAS_COUNT } from './read-flow';
export { InputError, resolveInputs, checkInputValue, isTemplate, nestInputs } from './inputs';
export { setTaskProperty, replaceTask, insertTask, removeTask, moveTask, taskText, FlowEditError } from './edit';
export { notesBefore, setNoteBefore, NOTE_MARKER_LINE } from './notes';
export {
  outputReferences, dataTrace, dependencyGraph, tablesWritten,
  type OutputRef, type DataSource, type DataTarget, type DataTrace, type Technology, type GraphNode, type GraphEdge,
} from './lineage';
