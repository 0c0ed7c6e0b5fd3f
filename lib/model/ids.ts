/** Ids of executions, task runs and stored files. */
import { randomUUID } from 'node:crypto';

/** A short unique id: Kestra's are 22 characters (a base62 UUID); a compact UUID keeps ours as short. */
export function newId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 22);
}
