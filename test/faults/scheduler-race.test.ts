/**
 * Fault test: two Flowbook servers on one database, each with its own scheduler, tick 10,000
 * times each (500 in CI; 10,000 with FLOWBOOK_FAULTS_SLOW=1) on clocks that disagree by up to 0.7 s (an injected clock: no real waiting). Every
 * slot of the notebook's Schedule fires exactly once: no duplicate, none lost. On SQLite and on
 * PostgreSQL, where the claim is a compare-and-set of the trigger's last evaluation.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../lib/db/client';
import type { DatabaseConfig } from '../../lib/db/config';
import { NotebookService } from '../../lib/notebooks/service';
import { lastEvaluatedTimes, NotebookScheduleSource } from '../../lib/notebooks/schedules';
import { Scheduler } from '../../lib/scheduler/scheduler';
import { createTestEngine, type TestEngine } from '../support/engine';
import { startPostgres, type TestPostgres } from '../api/pg';
import { SLOW } from './tags';

const TICKS = Number(process.env.FLOWBOOK_FAULTS_TICKS ?? (SLOW ? 10_000 : 500));
const SLOT_SECONDS = 20;
const FLOW = `id: every_twenty_seconds
namespace: test.faults
tasks:
  - id: tick
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.date }}"
triggers:
  - id: often
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/${SLOT_SECONDS} * * * * *"
    withSeconds: true
`;

/** A seeded generator, so a failure replays with the same clocks. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Server {
  database: Database;
  engine: TestEngine;
  scheduler: Scheduler;
}

async function server(config: DatabaseConfig): Promise<Server> {
  const database = await openDatabase(config);
  const engine = createTestEngine();
  return { database, engine, scheduler: new Scheduler(engine.engine, new NotebookScheduleSource(database.db)) };
}

/** The trigger date of every execution a server's scheduler started. */
function firedSlots(s: Server): string[] {
  const seen = new Map<string, string>();
  for (const e of s.engine.events) {
    const date = e.kind === 'execution' ? e.execution.origin?.trigger?.date : undefined;
    if (e.kind === 'execution' && date) seen.set(e.execution.id, date);
  }
  return [...seen.values()];
}

async function race(config: DatabaseConfig): Promise<void> {
  const [a, b] = [await server(config), await server(config)];
  try {
    const { id } = await new NotebookService(a.database.db).create(FLOW);
    const t0 = Date.parse('2030-01-01T00:00:00.250Z');
    // First sight: the trigger is evaluated "from now on".
    expect(await a.scheduler.tick(new Date(t0))).toEqual([]);
    const next = random(11);
    let base = t0;
    for (let i = 0; i < TICKS; i++) {
      // About a second a tick, now and then a stall of up to two minutes (a busy machine, a GC pause).
      base += next() < 0.01 ? 120_000 * next() : 400 + 1200 * next();
      const skew = () => new Date(base + Math.round((next() - 0.5) * 1400));
      // Either may go first, as two servers would: each wins some windows and loses others.
      const [first, second] = next() < 0.5 ? [a, b] : [b, a];
      await Promise.all([first.scheduler.tick(skew()), second.scheduler.tick(skew())]);
    }
    await Promise.all([a.engine.engine.drain(), b.engine.engine.drain()]);

    const fired = [...firedSlots(a), ...firedSlots(b)].sort();
    const duplicates = fired.length - new Set(fired).size;
    const end = (await lastEvaluatedTimes(a.database.db, id)).often!.getTime();
    const expected: string[] = [];
    for (let t = Math.ceil(t0 / (SLOT_SECONDS * 1000)) * SLOT_SECONDS * 1000; t <= end; t += SLOT_SECONDS * 1000) expected.push(new Date(t).toISOString().replace('.000Z', 'Z'));
    console.log(`${config.kind}: ${TICKS} ticks each on two schedulers, ${fired.length} executions, ${duplicates} duplicate slots, a fired ${firedSlots(a).length}, b ${firedSlots(b).length}`);
    expect(duplicates).toBe(0);
    expect(fired.map((d) => d.replace('.000Z', 'Z'))).toEqual(expected);
    // Both servers took part: the claims really raced.
    expect(firedSlots(a).length).toBeGreaterThan(0);
    expect(firedSlots(b).length).toBeGreaterThan(0);
  } finally {
    for (const s of [a, b]) {
      await s.engine.close();
      await s.database.close();
    }
  }
}

let pg: TestPostgres | undefined;
afterAll(async () => pg?.stop());

describe('two schedulers on one database', () => {
  it('fire every slot exactly once on SQLite', { timeout: SLOW ? 3_600_000 : 240_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-race-'));
    try {
      await race({ kind: 'sqlite', file: path.join(dir, 'flowbook.db') });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fire every slot exactly once on PostgreSQL', { timeout: SLOW ? 3_600_000 : 240_000 }, async () => {
    pg = await startPostgres();
    await race({ kind: 'postgresql', url: await pg.createDatabase('race') });
  });
});
