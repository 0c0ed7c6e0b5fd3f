/**
 * Resolves a Kestra `type` (or one of its older aliases) to its task definition.
 * Unknown types are not an error here: they are kept verbatim and fail only when run.
 */
import type { TaskDefinition } from './types';
import { definitions as core } from './core';
import { definitions as scripts } from './scripts';
import { definitions as duckdb } from './jdbc-duckdb';
import { definitions as postgres } from './jdbc-postgres';

const ALL: readonly TaskDefinition[] = [...core, ...scripts, ...duckdb, ...postgres];

const BY_TYPE = new Map<string, TaskDefinition>();
for (const def of ALL) {
  for (const id of [def.type, ...(def.aliases ?? [])]) {
    if (BY_TYPE.has(id)) throw new Error(`task type ${id} is declared twice`);
    BY_TYPE.set(id, def);
  }
}

export function getTaskDefinition(type: string): TaskDefinition | undefined {
  return BY_TYPE.get(type);
}

export function allTaskDefinitions(): readonly TaskDefinition[] {
  return ALL;
}
