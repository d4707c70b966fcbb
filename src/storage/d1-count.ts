/**
 * Counting what a request asks of D1, for its metrics data point (http/metrics.ts): the request's
 * env carries this wrapper instead of the binding, so every read path (the read session, API key
 * lookups, admin reads, readiness) is counted without each one reporting.
 *
 * The count is taken where statements are made and sent, on the database and its sessions, never
 * by wrapping a statement: D1's batch() takes the statements themselves, and a wrapped one is not
 * the object it expects. Every statement this code base prepares is run once (alone or in a
 * batch), so the statements prepared are the queries run; a round trip is a batch, or a statement
 * run alone (prepared but not batched). The writers' own statements run in the Durable Object
 * and are not counted here.
 */

export interface D1Counts {
  /** Statements prepared (each is run once: alone or in a batch). */
  statements: number;
  /** batch() calls. */
  batches: number;
  /** Statements sent inside those batches. */
  batched: number;
}

export function newD1Counts(): D1Counts {
  return { statements: 0, batches: 0, batched: 0 };
}

/** Calls to D1: each batch, plus each statement run on its own. */
export function roundTrips(c: D1Counts): number {
  return c.batches + Math.max(0, c.statements - c.batched);
}

type Session = Pick<D1Database, 'prepare' | 'batch'>;

export function countedD1(db: D1Database, counts: D1Counts): D1Database {
  return new Proxy(db, {
    get(target, key) {
      if (key === 'withSession') {
        return (constraint?: Parameters<D1Database['withSession']>[0]) => counted(target.withSession(constraint), counts);
      }
      return counting(target, key, counts);
    },
  });
}

function counted<S extends Session>(session: S, counts: D1Counts): S {
  return new Proxy(session, { get: (target, key) => counting(target, key, counts) });
}

function counting(target: Session, key: string | symbol, counts: D1Counts): unknown {
  if (key === 'prepare') {
    return (sql: string) => {
      counts.statements++;
      return target.prepare(sql);
    };
  }
  if (key === 'batch') {
    return (statements: D1PreparedStatement[]) => {
      counts.batches++;
      counts.batched += statements.length;
      return target.batch(statements);
    };
  }
  // Anything else (getBookmark, dump, exec) is the binding's own, bound to it.
  const value = Reflect.get(target, key, target) as unknown;
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
}
