/**
 * The course's Python tasks (02_python, 03's transform) as written, run by the engine in real
 * containers. No registry or internet here: 02's Docker Hub API is a local HTTP server reached
 * with network mode host (set through pluginDefaults, as a user would).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine';
import { type FlowSpec } from '../../flow';
import { parseFlow } from '../../tasks/catalog';
import { dockerForTests } from '../../../test/support/docker';

const docker = await dockerForTests('python:slim');
const FLOWS = path.resolve(import.meta.dirname, '../../../flows');

function flowFrom(yaml: string): FlowSpec {
  const parsed = parseFlow(yaml);
  const errors = parsed.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0 || !parsed.flow) throw new Error(errors.map((e) => e.message).join('\n'));
  return parsed.flow;
}

describe.skipIf(!docker.ok)('course Python flows in containers', () => {
  let dataDir: string;
  let engine: Engine;
  let hub: http.Server;
  let hubUrl: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowbook-course-docker-'));
    engine = new Engine({ dataDir, settings: { defaultRunner: 'docker' } });
    hub = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ name: req.url, pull_count: 123456789 }));
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/v2/repositories`;
  });

  afterAll(async () => {
    await engine?.drain();
    await new Promise((resolve) => hub?.close(resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('02_python sends the download count back from its container', async () => {
    const yaml = fs.readFileSync(path.join(FLOWS, '02_python.yaml'), 'utf8');
    const flow = flowFrom(
      `${yaml}\npluginDefaults:\n  - type: io.kestra.plugin.scripts.runner.docker.Docker\n    values:\n      networkMode: host\n`,
    );
    const result = await engine.start({ flow, inputs: { registry_api: hubUrl } }).done;
    expect(result.error).toBeUndefined();
    const run = result.taskRuns.find((t) => t.taskId === 'collect_stats');
    expect(run?.state).toBe('SUCCESS');
    expect(run?.details).toMatchObject({ runner: 'docker', containerId: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(result.outputs.collect_stats).toMatchObject({ vars: { downloads: 123456789 } });
  });

  it("03's transform keeps the chosen columns in its container and returns products.json", async () => {
    const flow = flowFrom(fs.readFileSync(path.join(FLOWS, '03_getting_started_data_pipeline.yaml'), 'utf8'));
    const products = { products: [{ id: 1, title: 'Phone', brand: 'Acme', price: 9.5 }, { id: 2, title: 'Cable', price: 2 }] };
    const uri = await engine.storage.putText('kestra:///zoomcamp/03_getting_started_data_pipeline/seed/products.json', JSON.stringify(products));
    const result = await engine.start({ flow, mode: { kind: 'cell', taskId: 'transform' }, seedOutputs: { extract: { uri } } }).done;
    expect(result.error).toBeUndefined();
    const run = result.taskRuns.find((t) => t.taskId === 'transform');
    expect(run?.state).toBe('SUCCESS');
    expect(run?.details?.runner).toBe('docker');
    const files = (result.outputs.transform as { outputFiles: Record<string, string> }).outputFiles;
    expect(JSON.parse(engine.storage.readTextSync(files['products.json']))).toEqual([
      { brand: 'Acme', price: 9.5 },
      { brand: 'N/A', price: 2 },
    ]);
  });
});
