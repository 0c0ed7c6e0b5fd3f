/**
 * A notebook exported with its namespace files, as one .zip: the flow YAML exactly as the
 * YAML export gives it, beside the files of the flow's namespace, in the layout course
 * collections use, so the two exports read alike:
 *
 *   <flowId>.yaml
 *   _files/<namespace>/<path>
 */
import { Readable } from 'node:stream';
import type { NamespaceFileService } from './namespace-files';
import type { NotebookService } from './service';
import { zipStream, type ZipEntry } from './zip-stream';

export const BUNDLE_FILES_DIR = '_files';

export async function exportBundle(notebooks: NotebookService, files: NamespaceFileService, id: string): Promise<{ fileName: string; stream: Readable }> {
  const row = await notebooks.row(id);
  const { yaml } = await notebooks.exportYaml(id);
  // Read before the first byte is sent, so a bad namespace is an error answer, not a broken download.
  await files.list(row.namespace);
  async function* entries(): AsyncGenerator<ZipEntry> {
    yield { name: `${row.flowId}.yaml`, content: Buffer.from(yaml, 'utf8') };
    for await (const file of files.contents(row.namespace)) {
      yield { name: `${BUNDLE_FILES_DIR}/${row.namespace}/${file.path}`, content: file.content };
    }
  }
  return { fileName: `${row.flowId}.zip`, stream: Readable.from(zipStream(entries())) };
}
