export declare const projectRoot: string;
export declare const sharedDir: string;
export declare const corporaArchiveDir: string;
export declare const cacheDir: string;
export declare function haveSharedCorpora(): boolean;
export interface CorpusRoots {
  news20Train: string;
  news20Test: string;
  bbc: string;
}
export declare function ensureCorpora(): CorpusRoots;
export declare function readTrainingWords(root: string): { label: string; words: string[] }[];
