/**
 * A container's attached output, split back into stdout and stderr (Docker multiplexes both
 * on one stream when there is no TTY) and handed on line by line as soon as each line ends.
 */
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import type { RunnerLine } from '../types';
import { LineSplitter } from '../process/line-splitter';

/** Resolves when the stream ends (the container stopped), after the last partial lines. */
export function streamLines(client: Docker, stream: NodeJS.ReadableStream, onLine: (line: RunnerLine) => void): Promise<void> {
  const stdout = new LineSplitter((line) => onLine({ stream: 'stdout', line }));
  const stderr = new LineSplitter((line) => onLine({ stream: 'stderr', line }));
  const sink = (splitter: LineSplitter) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        splitter.push(chunk);
        callback();
      },
    });
  client.modem.demuxStream(stream, sink(stdout), sink(stderr));
  return new Promise((resolve, reject) => {
    let ended = false;
    const finish = () => {
      if (ended) return;
      ended = true;
      stdout.end();
      stderr.end();
      resolve();
    };
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', reject);
  });
}
