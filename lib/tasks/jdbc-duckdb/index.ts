import type { TaskDefinition } from '../types';
import { duckDbQueries } from './queries';
import { duckDbQuery } from './query';

export const definitions: TaskDefinition[] = [duckDbQueries, duckDbQuery];
