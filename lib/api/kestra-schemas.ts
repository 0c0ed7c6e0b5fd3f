/** Request schemas of the Kestra routes (zod), next to the contract types they produce. */
import * as z from 'zod';

const name = z.string().min(1).max(128);
const credential = z.discriminatedUnion('from', [
  z.object({ from: z.literal('stored'), value: z.string().max(100_000).optional() }).strict(),
  z.object({ from: z.literal('secret'), name }).strict(),
  z.object({ from: z.literal('env'), name }).strict(),
]);

export const saveKestraServerSchema = z
  .object({
    name: z.string().min(1).max(200),
    url: z.string().min(1).max(2000),
    tenant: z.string().max(200).optional(),
    auth: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('none') }).strict(),
      z.object({ kind: z.literal('basic'), username: z.string().min(1).max(500), password: credential }).strict(),
      z.object({ kind: z.literal('token'), token: credential }).strict(),
    ]),
  })
  .strict();

export const deploySchema = z
  .object({
    serverId: z.string().min(1).max(200),
    notebookId: z.string().min(1).max(200).optional(),
    namespace: z.string().min(1).max(500).optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();

export const remoteRunSchema = z
  .object({
    serverId: z.string().min(1).max(200),
    notebookId: z.string().min(1).max(200),
    inputs: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const remoteRunsQuerySchema = z.object({ notebookId: z.string().min(1).max(200) });

export const exportLayoutSchema = z
  .object({
    namespace: z.string().min(1).max(500),
    outDir: z.string().min(1).max(4096),
    git: z.boolean().optional(),
  })
  .strict();

export const exportArchiveQuerySchema = z.object({ namespace: z.string().min(1).max(500) });

export const importLayoutSchema = z
  .object({
    dir: z.string().min(1).max(4096),
    namespace: z.string().min(1).max(500).optional(),
    overwrite: z.boolean().optional(),
  })
  .strict();
