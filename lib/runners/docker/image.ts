/**
 * Making sure a task's image is there before its container is created, by its pull policy:
 * IF_NOT_PRESENT pulls only when missing, ALWAYS pulls but keeps a local copy when no registry
 * answers (with a warning), NEVER only looks locally.
 */
import type Docker from 'dockerode';
import type { LogLevel } from '../../model/log';
import { ImageUnavailableError } from '../types';
import { dockerErrorMessage, statusCode } from './client';
import type { PullPolicy, RegistryCredentials } from './options';

export interface EnsureImageRequest {
  image: string;
  pullPolicy: PullPolicy;
  credentials?: RegistryCredentials;
  log(level: LogLevel, message: string): void;
  signal: AbortSignal;
}

export async function ensureImage(client: Docker, req: EnsureImageRequest): Promise<void> {
  const { image, pullPolicy } = req;
  if (pullPolicy !== 'ALWAYS' && (await hasImage(client, image))) return;
  if (pullPolicy === 'NEVER') throw missing(image, 'pullPolicy is NEVER');
  try {
    req.log('INFO', `Pulling image ${image}`);
    await pull(client, req);
    return;
  } catch (err) {
    const reason = dockerErrorMessage(err);
    if (pullPolicy === 'ALWAYS' && (await hasImage(client, image))) {
      req.log('WARN', `Could not pull image ${image} (${reason}): using the local copy`);
      return;
    }
    throw missing(image, reason);
  }
}

function missing(image: string, reason: string): ImageUnavailableError {
  return new ImageUnavailableError(image, `image ${image} is not available locally and could not be pulled: ${reason}`);
}

async function hasImage(client: Docker, image: string): Promise<boolean> {
  try {
    await client.getImage(image).inspect();
    return true;
  } catch (err) {
    if (statusCode(err) === 404) return false;
    throw err;
  }
}

async function pull(client: Docker, req: EnsureImageRequest): Promise<void> {
  const stream = await client.pull(req.image, { authconfig: authConfig(req.image, req.credentials), abortSignal: req.signal });
  // A failed pull often still answers 200 and reports the error inside the progress stream.
  await new Promise<void>((resolve, reject) => {
    client.modem.followProgress(
      stream,
      (err: Error | null, events: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
        if (err) return reject(err);
        const failed = events.find((e) => e.error !== undefined || e.errorDetail !== undefined);
        if (failed) return reject(new Error(failed.errorDetail?.message ?? failed.error));
        resolve();
      },
    );
  });
}

/** dockerode's auth shape from Kestra's `credentials`; the registry defaults to the image's. */
function authConfig(image: string, credentials: RegistryCredentials | undefined): Docker.AuthConfig | undefined {
  if (!credentials) return undefined;
  return {
    username: credentials.username,
    password: credentials.password,
    auth: credentials.auth,
    identitytoken: credentials.identityToken,
    registrytoken: credentials.registryToken,
    serveraddress: credentials.registry ?? registryOf(image),
  };
}

/** `ghcr.io/org/app:1` → `ghcr.io`; Docker Hub images have no registry part. */
export function registryOf(image: string): string {
  const first = image.split('/')[0];
  const isHost = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return isHost ? first : 'https://index.docker.io/v1/';
}
