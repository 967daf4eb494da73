// Types of layers.mjs (plain JavaScript so that eslint.config.js can load it without a TypeScript loader).
export declare const LAYERS: Readonly<Record<string, readonly string[]>>;
export declare const COMPOSITION: readonly string[];
export declare const ADAPTERS: Readonly<Record<string, readonly string[]>>;
export declare function layerViolation(coreDir: string, file: string, spec: string): string | null;
export declare function mayImportLine(folder: string, files?: readonly string[]): string;
export declare function coreFolders(coreDir: string): string[];
export declare function withMayImportLine(text: string, line: string): string;
export declare function mapProblems(coreDir: string): string[];
