/**
 * What a writer RPC answers. Errors cross the RPC boundary as data: a thrown RegistryError
 * would arrive as a plain Error and lose its code.
 */
import { RegistryError } from '../domain/errors';

export type WriteOutcome<T> =
  | {
      ok: true;
      value: T;
      bookmark: string | null;
      /**
       * false: the commit's own batch settled the webhook outbox (no subscription exists), so the
       * Worker need not drain after it (durable/tx.ts commitSharesSettlingOutbox); absent: drain.
       */
      drain?: boolean;
    }
  | { ok: false; code: number; message: string };

export async function capture<T>(op: () => Promise<{ value: T; bookmark: string | null }>): Promise<WriteOutcome<T>> {
  try {
    const { value, bookmark } = await op();
    return { ok: true, value, bookmark };
  } catch (e) {
    if (e instanceof RegistryError) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

/** In the Worker: turn an outcome back into a value or the RegistryError it carried. */
export function unwrap<T>(o: WriteOutcome<T>): { value: T; bookmark: string | null; drain: boolean } {
  if (!o.ok) throw new RegistryError(o.code as RegistryError['code'], o.message);
  return { value: o.value, bookmark: o.bookmark, drain: o.drain !== false };
}
