import type { TaskDefinition } from '../types';
import { log } from './log';
import { returnTask } from './return';
import { outputValues } from './output-values';
import { sleep } from './sleep';
import { labels } from './labels';
import { fail } from './fail';
import { httpDownload } from './http-download';
import { httpRequest } from './http-request';
import { kvDelete, kvGet, kvGetKeys, kvSet } from './kv';
import { assertTask } from './assert';
import { setVariables, unsetVariables } from './execution-variables';
import { exitTask, killTask } from './exit-kill';
import { purgeCurrentExecutionFiles } from './purge';
import { flowables } from './flow';
import { echo } from './echo';
import { logFetch } from './log-fetch';
import { localFiles } from './local-files';
import { resume } from './resume';
import { stateDelete, stateGet, stateSet } from './state/state';
import { subflow } from './flow/subflow';
import { forEachItem, forEachItemExecutable, forEachItemMergeOutputs, forEachItemSplit } from './flow/for-each-item';
import { storageTasks } from './storage';
import { metricPublish } from './metric-publish';
import { templatedTask } from './templated-task';
import { namespaceTasks } from './namespace/namespace-tasks';

export const definitions: TaskDefinition[] = [
  log,
  returnTask,
  outputValues,
  sleep,
  labels,
  fail,
  httpDownload,
  httpRequest,
  kvSet,
  kvGet,
  kvDelete,
  kvGetKeys,
  assertTask,
  setVariables,
  unsetVariables,
  exitTask,
  killTask,
  purgeCurrentExecutionFiles,
  echo,
  logFetch,
  localFiles,
  resume,
  stateGet,
  stateSet,
  stateDelete,
  ...storageTasks,
  metricPublish,
  templatedTask,
  ...namespaceTasks,
  ...flowables,
  subflow,
  forEachItem,
  // ForEachItem's internal tasks (Kestra's @Plugin(internal = true)): it runs them, flows do not name them.
  forEachItemSplit,
  forEachItemExecutable,
  forEachItemMergeOutputs,
];
