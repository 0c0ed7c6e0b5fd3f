/** Types of architecture.mjs, for the TypeScript tests that use it. */
export interface Part {
  name: string;
  layer: number;
  folders: string[];
  mayImport: string[];
  line: number;
}
export declare const ARCHITECTURE_DOC: string;
export declare function parseParts(markdown: string): Part[];
export declare function checkParts(parts: Part[]): void;
export declare function readParts(root: string): Part[];
export declare function isFileFolder(folder: string): boolean;
