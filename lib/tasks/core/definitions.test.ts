import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as z from 'zod';
import { commonTaskProperties } from '../schema';
import type { TaskDefinition } from '../types';
import { definitions as core } from './index';
import { definitions as scripts } from '../scripts/index';

const all: TaskDefinition[] = [...core, ...scripts];

describe.each(all.map((d) => [d.type, d] as const))('%s', (_type, def) => {
  it('explains itself to learners', () => {
    expect(def.title.length).toBeGreaterThan(3);
    // One paragraph: what it does and when to use it.
    expect(def.description.length).toBeGreaterThan(100);
    expect(def.description).not.toContain('\n\n');
  });

  it('has a YAML example that its own schema accepts', () => {
    const example: unknown = parse(def.example);
    expect(example).toMatchObject({ type: def.type });
    const checked = def.properties().safeParse(example);
    expect(checked.success, checked.error?.message).toBe(true);
  });

  it('describes every property of its own', () => {
    const properties = def.properties();
    expect(properties).toBeInstanceOf(z.ZodObject);
    if (!(properties instanceof z.ZodObject)) return;
    const shape: Record<string, z.ZodType> = properties.shape;
    const undescribed = Object.entries(shape)
      .filter(([key]) => !(key in commonTaskProperties))
      .filter(([, schema]) => !schema.description)
      .map(([key]) => key);
    expect(undescribed).toEqual([]);
  });
});

it('no type id is declared twice', () => {
  const ids = all.flatMap((d) => [d.type, ...(d.aliases ?? [])]);
  expect(ids.length).toBe(new Set(ids).size);
});
