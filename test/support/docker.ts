/**
 * Docker for tests: a real engine and the local Python image `.ci/docker.sh` builds.
 * Under CI=true a missing engine or image fails the test file with a clear message;
 * locally the Docker tests are skipped instead (with the reason printed once).
 */
import Docker from 'dockerode';

/** Built by `.ci/docker.sh` (debootstrap + docker import); also tagged python:slim etc. */
export const TEST_IMAGE = 'flowbook/python:bookworm';

export type DockerForTests = { ok: true; client: Docker } | { ok: false; reason: string };

async function probe(image: string): Promise<DockerForTests> {
  const client = new Docker();
  try {
    await client.ping();
  } catch (err) {
    return { ok: false, reason: `no Docker engine answers (${err instanceof Error ? err.message : String(err)})` };
  }
  try {
    await client.getImage(image).inspect();
  } catch {
    return { ok: false, reason: `the test image ${image} is missing` };
  }
  return { ok: true, client };
}

/**
 * Call at the top of a test file and gate the suite on it:
 * `const docker = await dockerForTests(); describe.skipIf(!docker.ok)(...)`.
 */
export async function dockerForTests(image = TEST_IMAGE): Promise<DockerForTests> {
  const found = await probe(image);
  if (found.ok) return found;
  const hint = 'run .ci/docker.sh to install and start Docker and build the image';
  if (process.env.CI === 'true') throw new Error(`Docker tests need a Docker engine under CI=true: ${found.reason}; ${hint}`);
  console.warn(`Skipping Docker tests: ${found.reason}; ${hint}`);
  return found;
}

/** Containers (running or not) carrying a label, e.g. `flowbook.taskrun=<id>`. */
export async function containersLabelled(client: Docker, label: string): Promise<Docker.ContainerInfo[]> {
  return client.listContainers({ all: true, filters: { label: [label] } });
}
