/**
 * The options of Kestra's Docker task runner (`io.kestra.plugin.scripts.runner.docker.Docker`,
 * and the older `docker:` task property, which arrives in the same shape), checked and turned
 * into what the Docker API needs. Values arrive already rendered, so numbers may be strings.
 */
import * as z from 'zod';
import { parseByteSize } from './byte-size';

export type PullPolicy = 'ALWAYS' | 'IF_NOT_PRESENT' | 'NEVER';
export type FileHandlingStrategy = 'VOLUME' | 'MOUNT';

export interface RegistryCredentials {
  registry?: string;
  username?: string;
  password?: string;
  registryToken?: string;
  identityToken?: string;
  /** base64 of `username:password`, as in a Docker config.json. */
  auth?: string;
}

export interface MemoryLimits {
  memory?: number;
  memorySwap?: number;
  memoryReservation?: number;
  memorySwappiness?: number;
  oomKillDisable?: boolean;
}

export interface DockerRunOptions {
  image?: string;
  pullPolicy: PullPolicy;
  entryPoint?: string[];
  user?: string;
  env: Record<string, string>;
  networkMode?: string;
  memory: MemoryLimits;
  /** CPU quota in billionths of a CPU (Docker's NanoCpus). */
  nanoCpus?: number;
  volumes: string[];
  fileHandlingStrategy: FileHandlingStrategy;
  credentials?: RegistryCredentials;
  shmSize?: number;
  extraHosts: string[];
  privileged: boolean;
  /** Docker host from the task (`host`), else the client default (DOCKER_HOST or the local socket). */
  host?: string;
  /** Kestra options that are accepted but have no effect here, for a warning in the task log. */
  ignored: string[];
}

const text = z.union([z.string(), z.number(), z.boolean()]).transform(String);

function byteSize() {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    const bytes = parseByteSize(value);
    if (bytes === undefined) {
      ctx.addIssue({ code: 'custom', message: `'${value}' is not a size (use e.g. 512MB, 1GB or bytes)` });
      return z.NEVER;
    }
    return bytes;
  });
}

const number = z.union([z.number(), z.string().regex(/^\s*-?\d+(\.\d+)?\s*$/, 'a number')]).transform(Number);
const bool = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((v) => v === true || v === 'true');
const upper = <T extends string>(values: readonly [T, ...T[]]) =>
  z.string().transform((v) => v.toUpperCase()).pipe(z.enum(values));

const schema = z.looseObject({
  type: z.string().optional(),
  image: text.optional(),
  pullPolicy: upper(['ALWAYS', 'IF_NOT_PRESENT', 'NEVER'] as const).optional(),
  entryPoint: z.union([z.array(text), text.transform((v) => [v])]).optional(),
  user: text.optional(),
  env: z.record(z.string(), text).optional(),
  networkMode: text.optional(),
  memory: z
    .object({
      memory: byteSize().optional(),
      memorySwap: byteSize().optional(),
      memoryReservation: byteSize().optional(),
      memorySwappiness: number.optional(),
      kernelMemory: byteSize().optional(),
      oomKillDisable: bool.optional(),
    })
    .optional(),
  cpu: z.object({ cpus: number.refine((n) => n > 0, 'cpus must be above 0').optional() }).optional(),
  volumes: z.array(text).optional(),
  fileHandlingStrategy: upper(['VOLUME', 'MOUNT'] as const).optional(),
  credentials: z
    .object({
      registry: text.optional(),
      username: text.optional(),
      password: text.optional(),
      registryToken: text.optional(),
      identityToken: text.optional(),
      auth: text.optional(),
    })
    .optional(),
  shmSize: byteSize().optional(),
  extraHosts: z.array(text).optional(),
  privileged: bool.optional(),
  host: text.optional(),
  delete: bool.optional(),
});

/** Kestra options with no effect here, and why a user might miss them. */
const WITHOUT_EFFECT = new Set(['config', 'deviceRequests', 'portBindings', 'wait', 'killGracePeriod', 'resume', 'delete']);
const KNOWN = new Set([...Object.keys(schema.shape), ...WITHOUT_EFFECT]);

export class DockerOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerOptionsError';
  }
}

export function parseDockerOptions(raw: Record<string, unknown>): DockerRunOptions {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
    throw new DockerOptionsError(`invalid Docker task runner options: ${problems.join('; ')}`);
  }
  const o = parsed.data;
  const ignored = Object.keys(raw).filter((k) => WITHOUT_EFFECT.has(k) || !KNOWN.has(k));
  if (o.memory?.kernelMemory !== undefined) ignored.push('memory.kernelMemory');
  return {
    image: o.image,
    pullPolicy: o.pullPolicy ?? 'IF_NOT_PRESENT',
    entryPoint: o.entryPoint,
    user: o.user,
    env: o.env ?? {},
    networkMode: o.networkMode,
    memory: {
      memory: o.memory?.memory,
      memorySwap: o.memory?.memorySwap,
      memoryReservation: o.memory?.memoryReservation,
      memorySwappiness: o.memory?.memorySwappiness,
      oomKillDisable: o.memory?.oomKillDisable,
    },
    nanoCpus: o.cpu?.cpus === undefined ? undefined : Math.round(o.cpu.cpus * 1e9),
    volumes: o.volumes ?? [],
    fileHandlingStrategy: o.fileHandlingStrategy ?? 'VOLUME',
    credentials: o.credentials,
    shmSize: o.shmSize,
    extraHosts: o.extraHosts ?? [],
    privileged: o.privileged ?? false,
    host: o.host,
    ignored,
  };
}
