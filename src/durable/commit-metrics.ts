/**
 * A `commit` data point per commit of a writer (docs/observability.md): the request points count
 * the D1 statements the Worker runs, but a write's own statements run here, in the writer Durable
 * Object, on its own D1 binding. So the writer measures each commit itself: a group of
 * registrations (group-commit.ts) or one other write, how many writes it carried, its statements
 * and batches (counted as http/metrics.ts counts the Worker's: storage/d1-count.ts) and its wall
 * time. Without a METRICS binding nothing is counted or written.
 */
import { dataPoint } from '../services/metrics-layout';
import { countedD1, newD1Counts, roundTrips } from '../storage/d1-count';

export interface CommitOf {
  /** What was written: `register` for a group, else the audit action's verb (`set-config`, `delete-subject`, `create-key`). */
  action: string;
  context: string;
  writes: number;
}

export interface CommitResult {
  /** `committed`, `refused` (a RegistryError, recorded in the audit) or `failed` (an exception). */
  result: 'committed' | 'refused' | 'failed';
  errorCode: string;
}

/** Runs `work` on an env whose D1 counts, and writes its commit point (also when it throws). */
export async function measuredCommit<T>(env: Env, of: CommitOf, work: (env: Env) => Promise<T>, resultOf: (t: T) => CommitResult): Promise<T> {
  const dataset = env.METRICS as AnalyticsEngineDataset | undefined;
  if (!dataset) return work(env);
  const counts = newD1Counts();
  const started = Date.now();
  const record = (r: CommitResult) => {
    try {
      dataset.writeDataPoint(
        dataPoint(
          'commit',
          { action: of.action, result: r.result, error_code: r.errorCode, context: of.context },
          { writes: of.writes, d1_queries: counts.statements, d1_round_trips: roundTrips(counts), wall_ms: Date.now() - started },
        ),
      );
    } catch {
      // A broken metrics binding never fails a write (the request point's writer logs it once).
    }
  };
  let value: T;
  try {
    value = await work({ ...env, DB: countedD1(env.DB, counts) });
  } catch (e) {
    record({ result: 'failed', errorCode: '' });
    throw e;
  }
  record(resultOf(value));
  return value;
}

/** The verb of an audit action (`delete-version 3` → `delete-version`): a bounded set, fit for an index. */
export function actionVerb(action: string): string {
  return action.split(' ', 1)[0];
}
