import { describe, expect, it } from 'vitest';
import { parseByteSize } from './byte-size';
import { parseDockerOptions } from './options';
import { containerSpec, KEPT_CAPABILITIES, LABELS, PIP_CACHE_DIR, pipCacheVolume } from './container-spec';
import { registryOf } from './image';

describe('parseByteSize', () => {
  it('reads Kestra sizes as binary units', () => {
    expect(parseByteSize('512MB')).toBe(512 * 1024 * 1024);
    expect(parseByteSize('1GB')).toBe(1024 ** 3);
    expect(parseByteSize('64kb')).toBe(64 * 1024);
  });
  it('reads Docker CLI and IEC spellings and plain bytes', () => {
    expect(parseByteSize('256m')).toBe(256 * 1024 * 1024);
    expect(parseByteSize('2GiB')).toBe(2 * 1024 ** 3);
    expect(parseByteSize('1.5g')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize(1000)).toBe(1000);
    expect(parseByteSize('1000')).toBe(1000);
  });
  it('rejects what is not a size', () => {
    expect(parseByteSize('lots')).toBeUndefined();
    expect(parseByteSize('12 parsecs')).toBeUndefined();
    expect(parseByteSize(-1)).toBeUndefined();
  });
});

describe('parseDockerOptions', () => {
  it('defaults to IF_NOT_PRESENT and copying files through a volume', () => {
    const o = parseDockerOptions({ type: 'io.kestra.plugin.scripts.runner.docker.Docker' });
    expect(o.pullPolicy).toBe('IF_NOT_PRESENT');
    expect(o.fileHandlingStrategy).toBe('VOLUME');
    expect(o.ignored).toEqual([]);
  });
  it('reads the Kestra shapes of memory, cpu and shmSize, with rendered strings for numbers', () => {
    const o = parseDockerOptions({ memory: { memory: '512MB', memorySwap: '1GB' }, cpu: { cpus: '1.5' }, shmSize: '64MB', pullPolicy: 'never' });
    expect(o.memory).toMatchObject({ memory: 512 * 1024 ** 2, memorySwap: 1024 ** 3 });
    expect(o.nanoCpus).toBe(1_500_000_000);
    expect(o.shmSize).toBe(64 * 1024 ** 2);
    expect(o.pullPolicy).toBe('NEVER');
  });
  it('says which option is wrong', () => {
    expect(() => parseDockerOptions({ memory: { memory: 'lots' } })).toThrow(
      "invalid Docker task runner options: memory.memory: 'lots' is not a size (use e.g. 512MB, 1GB or bytes)",
    );
    expect(() => parseDockerOptions({ pullPolicy: 'SOMETIMES' })).toThrow(/pullPolicy: /);
  });
  it('lists Kestra options that have no effect here', () => {
    expect(parseDockerOptions({ deviceRequests: [], wait: true, someTypo: 1 }).ignored).toEqual(['deviceRequests', 'wait', 'someTypo']);
  });
});

describe('containerSpec', () => {
  const base = {
    image: 'python:slim',
    command: ['/bin/sh', '-c', 'python main.py'],
    env: { PYTHONPATH: '/tmp/wd/.flowbook/python' },
    workingDir: '/tmp/wd',
    bindWorkingDir: false,
    volumesEnabled: false,
    labels: { executionId: 'exec1', taskRunId: 'run1', taskId: 'transform', namespace: 'company.team' },
    limits: { containerMemoryBytes: 2 * 1024 ** 3, containerPidsLimit: 256 },
  };
  const PIP_CACHE_VOLUME = pipCacheVolume('company.team');

  it('runs the command in the same working dir path, labelled, with the pip cache volume', () => {
    const spec = containerSpec({ ...base, options: parseDockerOptions({ env: { A: '1' }, user: '1000' }) });
    expect(spec.create).toMatchObject({
      Image: 'python:slim',
      Cmd: ['/bin/sh', '-c', 'python main.py'],
      Entrypoint: [''],
      WorkingDir: '/tmp/wd',
      User: '1000',
      Labels: { [LABELS.managed]: 'true', [LABELS.execution]: 'exec1', [LABELS.taskRun]: 'run1', [LABELS.task]: 'transform' },
      HostConfig: { Binds: [`${PIP_CACHE_VOLUME}:${PIP_CACHE_DIR}`] },
    });
    expect(spec.create.Env).toEqual(['WORKING_DIR=/tmp/wd', `PIP_CACHE_DIR=${PIP_CACHE_DIR}`, 'PYTHONPATH=/tmp/wd/.flowbook/python', 'A=1']);
    expect(spec.owner).toEqual({ uid: 1000, gid: 1000 });
  });

  it('drops privileges and limits memory and processes unless the task says otherwise', () => {
    const spec = containerSpec({ ...base, options: parseDockerOptions({}) });
    expect(spec.create.User).toBeUndefined();
    expect(spec.create.HostConfig).toMatchObject({
      SecurityOpt: ['no-new-privileges:true'],
      CapDrop: ['ALL'],
      CapAdd: [...KEPT_CAPABILITIES],
      PidsLimit: 256,
      Memory: 2 * 1024 ** 3,
      MemorySwap: 2 * 1024 ** 3,
    });
    const own = containerSpec({ ...base, options: parseDockerOptions({ memory: { memory: '512MB' } }), limits: { ...base.limits, containerUser: '1000:1000' } });
    expect(own.create.HostConfig).toMatchObject({ Memory: 512 * 1024 ** 2 });
    expect(own.create.HostConfig?.MemorySwap).toBeUndefined();
    expect(own.create.User).toBe('1000:1000');
    expect(own.owner).toEqual({ uid: 1000, gid: 1000 });
  });

  it('gives each namespace its own pip cache volume', () => {
    expect(pipCacheVolume('company.team')).not.toBe(pipCacheVolume('company.other'));
    expect(pipCacheVolume('a/b')).not.toBe(pipCacheVolume('a_b'));
    expect(pipCacheVolume('company.team')).toMatch(/^flowbook-pip-cache-company\.team-[0-9a-f]{8}$/);
  });

  it('binds the working dir when told to (transfer.ts decides), and host volumes only when enabled', () => {
    const options = parseDockerOptions({ fileHandlingStrategy: 'MOUNT', volumes: ['/data:/data'] });
    expect(containerSpec({ ...base, options }).create.HostConfig?.Binds).toEqual([`${PIP_CACHE_VOLUME}:${PIP_CACHE_DIR}`]);
    const off = containerSpec({ ...base, bindWorkingDir: true, options });
    expect(off.create.HostConfig?.Binds).toEqual([`${PIP_CACHE_VOLUME}:${PIP_CACHE_DIR}`, '/tmp/wd:/tmp/wd:rw']);
    expect(off.warnings).toEqual(['volumes ignored (/data:/data): host volumes are disabled in the engine settings']);
    const on = containerSpec({ ...base, bindWorkingDir: true, options, volumesEnabled: true });
    expect(on.create.HostConfig?.Binds).toContain('/data:/data');
    expect(on.warnings).toEqual([]);
  });
});

describe('registryOf', () => {
  it('finds the registry host of an image, or Docker Hub', () => {
    expect(registryOf('ghcr.io/org/app:1')).toBe('ghcr.io');
    expect(registryOf('localhost:5000/app')).toBe('localhost:5000');
    expect(registryOf('python:3.11-slim')).toBe('https://index.docker.io/v1/');
    expect(registryOf('kestra/kestra')).toBe('https://index.docker.io/v1/');
  });
});
