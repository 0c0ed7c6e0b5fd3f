/** Where something is in a flow's YAML, and a problem found there. */

/** 1-based line and column in the flow's YAML text. */
export interface SourcePos {
  line: number;
  column: number;
}

/** A path into the YAML document: map keys and sequence indexes, e.g. `['tasks', 2, 'id']`. */
export type YamlPath = (string | number)[];

export interface FlowIssue {
  message: string;
  path: YamlPath;
  pos?: SourcePos;
  /** The task the issue is about, when there is one. */
  taskId?: string;
  severity: 'error' | 'warning';
}
