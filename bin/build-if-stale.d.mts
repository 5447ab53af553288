/** Types of bin/build-if-stale.mjs (used by the end-to-end test's setup). */
export declare const root: string;
export declare function rendererStale(): boolean;
export declare function appStale(): boolean;
export declare function ensureRendererBuilt(log?: (message: string) => void): boolean;
export declare function ensureAppBuilt(log?: (message: string) => void): boolean;
