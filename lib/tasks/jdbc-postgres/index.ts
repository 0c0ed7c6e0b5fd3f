import type { TaskDefinition } from '../types';
import { postgresQueries } from './queries';
import { postgresQuery } from './query';
import { postgresCopyIn } from './copy-in';
import { postgresCopyOut } from './copy-out';

export const definitions: TaskDefinition[] = [postgresQueries, postgresQuery, postgresCopyIn, postgresCopyOut];
