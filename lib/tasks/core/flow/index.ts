import type { TaskDefinition } from '../../types';
import { ifTask } from './if';
import { switchTask } from './switch';
import { allowFailure, sequential } from './sequential';
import { parallel } from './parallel';
import { eachParallel, eachSequential, forEach } from './for-each';
import { dag } from './dag';
import { loopUntil } from './loop-until';
import { workingDirectory } from './working-directory';
import { pause } from './pause';

/** Kestra's core flowable tasks: each decides which children run and how; the engine does the rest. */
export const flowables: TaskDefinition[] = [ifTask, switchTask, sequential, allowFailure, parallel, forEach, eachSequential, eachParallel, dag, loopUntil, workingDirectory, pause];
