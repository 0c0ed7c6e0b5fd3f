import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { ownerAlive, ownerId, processStartTime } from './owner';

describe('owner', () => {
  it('tells a live owner from a dead one, and from a new process that got its pid', () => {
    const parent = process.ppid;
    const started = processStartTime(parent);
    expect(started).toMatch(/^\d+$/);
    expect(ownerAlive(ownerId())).toBe(true);
    expect(ownerAlive(`${os.hostname()}:${parent}:${started}`)).toBe(true);
    expect(ownerAlive(`${os.hostname()}:${parent}`)).toBe(true);
    // The same pid, started at another time: the owner died and its pid was given to someone else.
    expect(ownerAlive(`${os.hostname()}:${parent}:${Number(started) + 1}`)).toBe(false);
    expect(ownerAlive(`${os.hostname()}:${process.pid}:${Number(processStartTime(process.pid)) + 1}`)).toBe(false);
    expect(ownerAlive(`${os.hostname()}:2147483646:1`)).toBe(false);
    expect(ownerAlive(undefined)).toBe(false);
  });
});
