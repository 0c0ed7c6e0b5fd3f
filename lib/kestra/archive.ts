/**
 * A layout as a `.tar.gz` download, entries at the top (`_flows/…`, `_files/…`), so unpacking
 * it at the root of a repository gives the layout Kestra's git tasks read.
 */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type TarStream from 'tar-stream';
import type { LayoutEntry } from './layout';

export function layoutArchive(entries: readonly LayoutEntry[]): Readable {
  // tar-stream loads with the first download, not with the server.
  const tar = createRequire(import.meta.url)('tar-stream') as typeof TarStream;
  const pack = tar.pack();
  const mtime = new Date();
  void (async () => {
    try {
      for (const e of entries) {
        await new Promise<void>((resolve, reject) => pack.entry({ name: e.path, size: e.content.length, mode: 0o644, mtime }, e.content, (err) => (err ? reject(err) : resolve())));
      }
      pack.finalize();
    } catch (err) {
      pack.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  })();
  // tar-stream streams are streamx streams: wrapped so Node's gzip can read them.
  return Readable.from(pack).pipe(zlib.createGzip());
}
