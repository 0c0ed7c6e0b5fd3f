import type { TaskDefinition } from '../types';
import { shellCommands, shellScript } from './shell';
import { pythonCommands, pythonScript } from './python';
import { nodeCommands, nodeScript } from './node';

export const definitions: TaskDefinition[] = [shellCommands, shellScript, pythonScript, pythonCommands, nodeScript, nodeCommands];
