/**
 * A container's attached output, split back into stdout and stderr (Docker multiplexes both
 * on one stream when there is no TTY) and handed on line by line as soon as each line ends,
 * within the task's output limits (../output.ts).
 */
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import type { TaskOutput } from '../output';

/** Resolves when the stream ends (the container stopped), after the last partial lines. */
export function streamLines(client: Docker, stream: NodeJS.ReadableStream, output: TaskOutput): Promise<void> {
  const sink = (write: (chunk: Buffer) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        write(chunk);
        callback();
      },
    });
  client.modem.demuxStream(stream, sink((c) => output.stdout(c)), sink((c) => output.stderr(c)));
  return new Promise((resolve, reject) => {
    let ended = false;
    const finish = () => {
      if (ended) return;
      ended = true;
      output.end();
      resolve();
    };
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', reject);
  });
}
