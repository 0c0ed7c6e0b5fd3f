/** Flowbook and a Kestra server: the git layout, the REST API client, deploy and remote runs. */
export { KestraService, type KestraServiceOptions } from './service';
export { KestraClient, KestraApiError, normaliseServerUrl, type KestraAuth, type KestraTarget } from './client';
export { deploy, type DeployResult } from './deploy';
export type { DeployItemDto } from '../contract';
export { diffHunks, diffLines } from './diff';
export { commitLayout, GitError, type GitCommit } from './git';
export { FILES_DIR, FLOWS_DIR, LayoutError, commonNamespace, flowPath, planLayout, rootNamespace, type FlowEntry, type LayoutEntry, type NamespaceFileEntry } from './layout';
export { readLayout, writeLayout, type WrittenFile } from './layout-fs';
export { StorageNamespaceFiles, type NamespaceFileSource } from './namespace-files';
export { importLayout, notebookFlows } from './notebook-flows';
export { RemoteRunService } from './remote-run';
export { KestraServerStore, kestraProblem } from './servers';
