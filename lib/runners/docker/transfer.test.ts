/**
 * When VOLUME may bind the working dir instead of copying it (transfer.ts): only where nothing
 * can tell the two apart. The real engine's side (a root run binds, another user's is copied)
 * is in docker.test.ts.
 */
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { chooseTransfer, isLocalEngine, runsAsUid } from './transfer';

/** An engine answering only what the choice asks: the image's user and the daemon's security options. */
function engine(imageUser: string, securityOptions: string[] = ['name=seccomp,profile=builtin']): Docker {
  return {
    getImage: () => ({ inspect: async () => ({ Config: { User: imageUser } }) }),
    info: async () => ({ SecurityOptions: securityOptions }),
  } as unknown as Docker;
}

const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe('the working dir transfer', () => {
  it('binds for MOUNT, always', async () => {
    expect(await chooseTransfer(engine('1000'), { strategy: 'MOUNT', host: 'tcp://build:2375', user: '5', image: 'x' }, 0)).toBe('bind');
  });

  it('binds for VOLUME only on a local engine, as this process’s own user', async () => {
    const q = { strategy: 'VOLUME' as const, host: undefined, user: undefined, image: 'python:slim' };
    expect(await chooseTransfer(engine(''), q, 0)).toBe('bind');
    expect(await chooseTransfer(engine(''), { ...q, host: 'unix:///var/run/docker.sock' }, 0)).toBe('bind');
    // Another machine's engine does not see this machine's paths.
    expect(await chooseTransfer(engine(''), { ...q, host: 'tcp://127.0.0.1:2375' }, 0)).toBe('copy');
    // The image runs as another user than this process: the copies set the owner, a bind would not.
    expect(await chooseTransfer(engine('1000'), q, 0)).toBe('copy');
    expect(await chooseTransfer(engine(''), q, 1000)).toBe('copy');
    expect(await chooseTransfer(engine(''), { ...q, user: '1000:1000' }, 1000)).toBe('bind');
    expect(await chooseTransfer(engine(''), { ...q, user: 'app' }, 1000)).toBe('copy');
  });

  it('copies where the engine maps users (userns-remap, rootless): container root is not this root', async () => {
    const q = { strategy: 'VOLUME' as const, host: 'unix:///run/remapped.sock', user: undefined, image: 'x' };
    expect(await chooseTransfer(engine('', ['name=userns']), q, 0)).toBe('copy');
    expect(await chooseTransfer(engine('', ['name=rootless']), { ...q, host: 'unix:///run/rootless.sock' }, 0)).toBe('copy');
  });

  it('reads DOCKER_HOST the way the client does', () => {
    expect(isLocalEngine(undefined, env({}))).toBe(true);
    expect(isLocalEngine(undefined, env({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }))).toBe(true);
    expect(isLocalEngine(undefined, env({ DOCKER_HOST: 'tcp://10.0.0.5:2376' }))).toBe(false);
    expect(isLocalEngine('ssh://me@box', env({}))).toBe(false);
  });

  it('knows root by name, number or nothing', () => {
    for (const user of [undefined, '', 'root', '0', '0:0', 'root:root']) expect(runsAsUid(user, 0)).toBe(true);
    for (const user of ['1000', 'nobody', '1000:0']) expect(runsAsUid(user, 0)).toBe(false);
    expect(runsAsUid('1000:1000', 1000)).toBe(true);
    expect(runsAsUid('0', undefined)).toBe(false);
  });
});
