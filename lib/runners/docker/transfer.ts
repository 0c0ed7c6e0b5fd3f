/**
 * How a task's working dir reaches its container and comes back. MOUNT binds it. VOLUME,
 * Kestra's default, copies it in before the start and back out after the exit through the
 * engine's archive API, and each copy makes the engine mount the container's filesystem:
 * 100–150 ms each way on a local engine, a third of a short script's whole run.
 *
 * Where a bind mount cannot be told apart from the copies, neither by the task nor by
 * Flowbook, VOLUME binds too: the engine shares this machine's filesystem (a local socket, no
 * user-namespace remapping, not rootless) and the container runs as this process's own user,
 * so the task finds the same directory with the same files and owner, and what it writes is
 * where the copy back would have put it. Anything else is copied, as before.
 */
import type Docker from 'dockerode';
import type { FileHandlingStrategy } from './options';

export type Transfer = 'bind' | 'copy';

export interface TransferQuestion {
  strategy: FileHandlingStrategy;
  /** The task's `host`; undefined for the default engine (DOCKER_HOST, else the local socket). */
  host: string | undefined;
  /** The user the task asked for (options, then settings); undefined for the image's own. */
  user: string | undefined;
  image: string;
}

/** Whether the engine is reached through a socket on this machine, so it sees this machine's paths. */
export function isLocalEngine(host: string | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  const target = host ?? env.DOCKER_HOST;
  return target === undefined || target === '' || target.startsWith('unix://');
}

/**
 * Whether a container running as `user` ('' or undefined: the image's default, root) is
 * this process: same uid, so files it writes in a bound dir belong to whoever wrote them in.
 */
export function runsAsUid(user: string | undefined, uid: number | undefined): boolean {
  if (uid === undefined) return false;
  const name = (user ?? '').split(':')[0];
  if (name === '' || name === 'root') return uid === 0;
  return /^\d+$/.test(name) && Number(name) === uid;
}

/** Per engine: whether container root is host root (no userns-remap, not rootless); asked once. */
const plainRoot = new Map<string, Promise<boolean>>();

function engineMapsUsersPlainly(client: Docker, host: string | undefined): Promise<boolean> {
  const key = host ?? process.env.DOCKER_HOST ?? '';
  let answer = plainRoot.get(key);
  if (!answer) {
    answer = client.info().then(
      (info: { SecurityOptions?: string[] }) => !(info.SecurityOptions ?? []).some((o) => /name=(userns|rootless)/.test(o)),
      () => false,
    );
    plainRoot.set(key, answer);
  }
  return answer;
}

export async function chooseTransfer(client: Docker, q: TransferQuestion, uid = process.getuid?.()): Promise<Transfer> {
  if (q.strategy === 'MOUNT') return 'bind';
  if (!isLocalEngine(q.host)) return 'copy';
  let user = q.user;
  if (user === undefined) {
    const config = (await client.getImage(q.image).inspect()).Config as { User?: string } | undefined;
    user = config?.User ?? '';
  }
  if (!runsAsUid(user, uid)) return 'copy';
  return (await engineMapsUsersPlainly(client, q.host)) ? 'bind' : 'copy';
}
