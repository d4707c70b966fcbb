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
  } & Partial<WorkerOptions>,
): WorkerOptions;
export function applyMigrations(mf: Miniflare, workerName?: string): Promise<void>;
