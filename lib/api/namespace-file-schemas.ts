/** Request schemas of the namespace-file routes; the paths inside are checked by the service. */
import * as z from 'zod';

const text = z.string().max(20 * 1024 * 1024);

export const namespaceFileQuerySchema = z.object({ path: z.string(), download: z.enum(['1']).optional() });
export const uploadNamespaceFileQuerySchema = z.object({ path: z.string(), overwrite: z.enum(['1']).optional() });
export const createNamespaceFileSchema = z.object({ path: z.string(), content: text }).strict();
export const saveNamespaceFileSchema = z.object({ content: text, version: z.string().min(1).max(128) }).strict();
export const renameNamespaceFileSchema = z.object({ from: z.string(), to: z.string() }).strict();
