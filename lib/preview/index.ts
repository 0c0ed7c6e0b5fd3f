export { preview, previewFile } from './preview';
export { detectFormat } from './detect';
export { PreviewError } from './types';
export type { PreviewColumn, PreviewFormat, PreviewOptions, PreviewPage, PreviewSort } from './types';
