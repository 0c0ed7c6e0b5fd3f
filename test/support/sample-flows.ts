/** The sample course's flow files in flows/ (the README and notes beside them are not flows), in course order. */
import fs from 'node:fs';
import path from 'node:path';

export const SAMPLE_FLOWS_DIR = path.resolve(import.meta.dirname, '../../flows');

export function sampleFlowFiles(): string[] {
  return fs
    .readdirSync(SAMPLE_FLOWS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}
