// Types for the TypeScript tests that import the plain-JS scenarios module (k6 loads the .js).
export type ReadLayer = 'isolate' | 'cache' | 'kv' | 'd1';
export const READ_LAYERS: readonly ReadLayer[];
export function readLayerOf(header: string | null | undefined): ReadLayer | undefined;
/** An autocannon setupClient (its clients are EventEmitters). */
export function tallyReadLayers(layers: Record<ReadLayer, number>, cachedTimes?: number[]): (client: import('node:events').EventEmitter) => void;
