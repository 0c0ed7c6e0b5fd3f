/**
 * Where export and deploy find a namespace's files, and where import puts them back.
 *
 * Namespace files have one home, the one `fileURI('path')` points at:
 * `kestra:///<namespace as folders>/_files/<path>` in internal storage, as in Kestra. The
 * notebook page's Files panel (lib/notebooks/namespace-files.ts) edits them there, and this
 * source reads and writes the same folder, so what is edited is exported, deployed and imported.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LocalStorage, StorageError } from '../storage/storage';
import type { NamespaceFileEntry } from './layout';

export interface NamespaceFileSource {
  /** Every file of `namespace` (not of its children), with relative `/`-separated paths. */
  list(namespace: string): Promise<NamespaceFileEntry[]>;
  write(namespace: string, relPath: string, content: Buffer): Promise<void>;
}

/** At most this much is read per namespace: deploy and export hold the files in memory. */
const MAX_BYTES = 100 * 1024 * 1024;

export function namespaceFilesUri(namespace: string): string {
  return `kestra:///${namespace.split('.').map(encodeURIComponent).join('/')}/_files`;
}

export class StorageNamespaceFiles implements NamespaceFileSource {
  private readonly storage: LocalStorage;

  constructor(storageDir: string) {
    this.storage = new LocalStorage(storageDir);
  }

  async list(namespace: string): Promise<NamespaceFileEntry[]> {
    const base = this.storage.resolve(namespaceFilesUri(namespace));
    const out: NamespaceFileEntry[] = [];
    let total = 0;
    const walk = async (dir: string, rel: string[]) => {
      let items: fs.Dirent[];
      try {
        items = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw err;
      }
      for (const item of items.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const abs = path.join(dir, item.name);
        if (item.isDirectory()) await walk(abs, [...rel, item.name]);
        else if (item.isFile()) {
          const content = await fs.promises.readFile(abs);
          total += content.length;
          if (total > MAX_BYTES) throw new StorageError(`namespace ${namespace} has more than ${MAX_BYTES / 1024 / 1024} MB of files`);
          out.push({ namespace, path: [...rel, item.name].join('/'), content });
        }
      }
    };
    await walk(base, []);
    return out;
  }

  async write(namespace: string, relPath: string, content: Buffer): Promise<void> {
    const uri = `${namespaceFilesUri(namespace)}/${relPath.split('/').map(encodeURIComponent).join('/')}`;
    const dest = this.storage.resolve(uri);
    await fs.promises.mkdir(path.dirname(dest), { recursive: true });
    await fs.promises.writeFile(dest, content);
  }
}
