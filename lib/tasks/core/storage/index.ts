import type { TaskDefinition } from '../../types';
import { storageConcat, storageDelete, storageReverse, storageSize, storageWrite } from './file-tasks';
import { deduplicateItems, filterItems } from './item-tasks';
import { storageSplit } from './split';

export const storageTasks: TaskDefinition[] = [storageWrite, storageSize, storageDelete, storageConcat, storageReverse, storageSplit, filterItems, deduplicateItems];
