import * as z from 'zod';
import { dynamic, isoDuration, stringish, taskSchema } from '../schema';
import { TaskError, type RunContext, type RunnableTaskDefinition } from '../types';
import { readProps, renderBoolean, renderOptional } from './props';
import { parseDurationMs } from '../../model/duration';
import { KvError, type KvType } from '../../storage/kv';

const KV_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON'] as const;

const keyProp = stringish.describe('The key, e.g. GCP_BUCKET_NAME. Letters, digits, ".", "_" and "-".');
const namespaceProp = stringish.optional().describe("The namespace the key lives in; defaults to the flow's namespace.");

function namespaceOf(ctx: RunContext, raw: unknown): string {
  return renderOptional(ctx, raw) ?? ctx.scope.namespace;
}

/** Store failures (bad key, overwrite refused) become the task's error message. */
function kvCall<T>(ctx: RunContext, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof KvError) throw new TaskError(`task "${ctx.task.id}": ${err.message}`, { cause: err });
    throw err;
  }
}

const setProperties = taskSchema(() => ({
  key: keyProp,
  value: z.unknown().describe('The value to store. Templates are rendered; with `kvType` it is converted to that type.'),
  namespace: namespaceProp,
  overwrite: dynamic(z.boolean()).optional().describe('Replace an existing value (default true). With false, the task fails if the key exists.'),
  ttl: isoDuration.optional().describe('How long the value lives, as an ISO-8601 duration (P30D). Afterwards the key counts as missing.'),
  kvType: dynamic(z.enum(KV_TYPES)).optional().describe('Type to store the value as: STRING, NUMBER, BOOLEAN, DATETIME, DATE, DURATION or JSON.'),
  kvDescription: stringish.optional().describe('A description of the pair, shown next to it in Kestra (core/.../plugin/core/kv/Set.java). Not kept by Flowbook.'),
}));

export const kvSet: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.kv.Set',
  title: 'Store a key-value pair',
  description:
    "Saves a value under a key in the namespace's key-value store, where every flow of that namespace can read it with `{{ kv('KEY') }}`. Use it for configuration such as a project id or bucket name (the course sets its GCP settings this way), or to remember state between executions, like the last file loaded.",
  properties: setProperties,
  outputs: [],
  example: `id: gcp_bucket_name
type: io.kestra.plugin.core.kv.Set
key: GCP_BUCKET_NAME
kvType: STRING
value: my-zoomcamp-bucket`,
  async run(ctx) {
    const props = readProps(setProperties, ctx);
    const key = ctx.renderString(props.key);
    const namespace = namespaceOf(ctx, props.namespace);
    const kvType = props.kvType === undefined ? undefined : kvTypeOf(ctx, ctx.renderString(props.kvType));
    const value = convert(ctx, ctx.render(props.value), kvType);
    const ttl = renderOptional(ctx, props.ttl);
    const ttlMs = ttl === undefined ? undefined : parseDurationMs(ttl, `task "${ctx.task.id}" ttl`);
    const overwrite = renderBoolean(ctx, props.overwrite, true);
    kvCall(ctx, () => ctx.kv.set(namespace, key, value, { type: kvType, ttlMs, overwrite }));
    return { outputs: {} };
  },
};

function kvTypeOf(ctx: RunContext, text: string): KvType {
  const found = KV_TYPES.find((t) => t === text.toUpperCase());
  if (!found) throw new TaskError(`task "${ctx.task.id}": kvType "${text}" is not one of ${KV_TYPES.join(', ')}`);
  return found;
}

function convert(ctx: RunContext, value: unknown, type: KvType | undefined): unknown {
  if (type === undefined || typeof value !== 'string') return value;
  const bad = () => new TaskError(`task "${ctx.task.id}": value "${value}" is not a valid ${type}`);
  switch (type) {
    case 'STRING':
    case 'DATETIME':
    case 'DATE':
    case 'DURATION':
      return value;
    case 'NUMBER': {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw bad();
      return n;
    }
    case 'BOOLEAN':
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw bad();
    case 'JSON':
      try {
        return JSON.parse(value);
      } catch {
        throw bad();
      }
  }
}

const getProperties = taskSchema(() => ({
  key: keyProp,
  namespace: namespaceProp,
  errorOnMissing: dynamic(z.boolean()).optional().describe('Fail when the key does not exist (default false: the output `value` is null).'),
}));

export const kvGet: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.kv.Get',
  title: 'Read a key-value pair',
  description:
    "Reads the value stored under a key in a namespace's key-value store and outputs it as `value`. Most flows simply write `{{ kv('KEY') }}` in a property; this task is useful when you want the value as a visible step, or want to choose whether a missing key should fail the run.",
  properties: getProperties,
  outputs: ['value'],
  example: `id: read_bucket
type: io.kestra.plugin.core.kv.Get
key: GCP_BUCKET_NAME
errorOnMissing: true`,
  async run(ctx) {
    const props = readProps(getProperties, ctx);
    const key = ctx.renderString(props.key);
    const namespace = namespaceOf(ctx, props.namespace);
    const found = kvCall(ctx, () => ctx.kv.get(namespace, key));
    if (!found.found) {
      if (renderBoolean(ctx, props.errorOnMissing, false)) {
        throw new TaskError(`Cannot find the KV pair '${key}' in namespace ${namespace}`);
      }
      return { outputs: { value: null } };
    }
    return { outputs: { value: found.value } };
  },
};

const deleteProperties = taskSchema(() => ({
  key: keyProp,
  namespace: namespaceProp,
  errorOnMissing: dynamic(z.boolean()).optional().describe('Fail when the key does not exist (default false).'),
}));

export const kvDelete: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.kv.Delete',
  title: 'Delete a key-value pair',
  description:
    "Removes a key from a namespace's key-value store and outputs `deleted`: true when the key existed. Use it to clean up state a flow no longer needs, or to reset a value before a test run.",
  properties: deleteProperties,
  outputs: ['deleted'],
  example: `id: forget_last_file
type: io.kestra.plugin.core.kv.Delete
key: LAST_FILE`,
  async run(ctx) {
    const props = readProps(deleteProperties, ctx);
    const key = ctx.renderString(props.key);
    const namespace = namespaceOf(ctx, props.namespace);
    const deleted = kvCall(ctx, () => ctx.kv.delete(namespace, key));
    if (!deleted && renderBoolean(ctx, props.errorOnMissing, false)) {
      throw new TaskError(`Cannot find the KV pair '${key}' in namespace ${namespace}`);
    }
    return { outputs: { deleted } };
  },
};

const getKeysProperties = taskSchema(() => ({
  prefix: stringish.optional().describe('Only keys starting with this prefix (default: every key).'),
  namespace: namespaceProp,
}));

export const kvGetKeys: RunnableTaskDefinition = {
  kind: 'runnable',
  type: 'io.kestra.plugin.core.kv.GetKeys',
  title: 'List key-value keys',
  description:
    "Lists the keys of a namespace's key-value store, optionally only those starting with a prefix, as the output `keys` (core/.../plugin/core/kv/GetKeys.java). Expired keys are not listed. Use it to loop over a family of settings with a ForEach.",
  properties: getKeysProperties,
  outputs: ['keys'],
  example: `id: kv_getkeys
type: io.kestra.plugin.core.kv.GetKeys
prefix: my_var`,
  async run(ctx) {
    const props = readProps(getKeysProperties, ctx);
    const prefix = renderOptional(ctx, props.prefix);
    const namespace = namespaceOf(ctx, props.namespace);
    const now = Date.now();
    const keys = kvCall(ctx, () => ctx.kv.list(namespace))
      .filter((entry) => entry.expiresAt === undefined || Date.parse(entry.expiresAt) > now)
      .map((entry) => entry.key)
      .sort()
      .filter((key) => prefix === undefined || key.startsWith(prefix));
    return { outputs: { keys } };
  },
};
