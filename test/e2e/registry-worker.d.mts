import type { Miniflare, WorkerOptions } from 'miniflare';

export const ROOT: string;
export function compatibilityDate(config?: string): string | undefined;
export function wranglerVars(config?: string): Record<string, string>;
export function registryWorker(
  options?: {
    name?: string;
    script?: string;
    id?: string;
    vars?: Record<string, string>;
    writeLimit?: number;
    /** Serve build/assets (the web console) as wrangler.toml's [assets] does. */
    ui?: boolean;
  } & Partial<WorkerOptions>,
): WorkerOptions;
export function applyMigrations(mf: Miniflare, workerName?: string): Promise<void>;
