import type { TaskDefinition } from '../types';

export const definitions: TaskDefinition[] = [];
