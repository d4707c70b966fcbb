/**
 * RegistryWriter: the only writer of one context (addressed with idFromName(context)).
 *
 * Every write runs through `serialize()`: a DO's input gate does not cover awaits on D1/R2/KV,
 * so without an explicit queue two registrations could interleave and allocate the same id.
 * Each write reads the primary, decides, archives bodies to R2, then commits one D1 batch()
 * (one transaction, backed by UNIQUE constraints): all of it or none of it. The writes
 * themselves live in register.ts, deletes.ts and settings-writes.ts.
 */
import { DurableObject } from 'cloudflare:workers';
import type { VersionId } from '../domain/version-id';
import type { Mode } from '../services/settings';
import { RegistryReader } from '../storage/registry-reader';
import { deleteSubject, deleteVersion } from './deletes';
import { capture, type WriteOutcome } from './outcome';
import { register, type RegisterInput, type RegisterResult } from './register';
import { deleteConfig, deleteMode, setConfig, setMode } from './settings-writes';
import type { SubjectRef, WriteTx, Written } from './tx';

export type { RegisterInput, RegisterResult } from './register';
export type { SubjectRef } from './tx';

export class RegistryWriter extends DurableObject<Env> {
  private tail: Promise<unknown> = Promise.resolve();

  private serialize<T>(op: (tx: WriteTx) => Written<T>): Promise<WriteOutcome<T>> {
    const run = this.tail.then(() =>
      capture(() => {
        const db = this.env.DB.withSession('first-primary');
        return op({ db, reader: new RegistryReader(db), env: this.env });
      }),
    );
    this.tail = run.catch(() => undefined);
    return run;
  }

  register(input: RegisterInput): Promise<WriteOutcome<RegisterResult>> {
    return this.serialize((tx) => register(tx, input));
  }

  deleteSubject(input: SubjectRef & { permanent: boolean }): Promise<WriteOutcome<number[]>> {
    return this.serialize((tx) => deleteSubject(tx, input));
  }

  deleteVersion(input: SubjectRef & { version: VersionId; permanent: boolean }): Promise<WriteOutcome<number>> {
    return this.serialize((tx) => deleteVersion(tx, input));
  }

  setConfig(input: SubjectRef & { body: Record<string, unknown> }): Promise<WriteOutcome<Record<string, unknown>>> {
    return this.serialize((tx) => setConfig(tx, input));
  }

  deleteConfig(input: SubjectRef): Promise<WriteOutcome<Record<string, unknown> | null>> {
    return this.serialize((tx) => deleteConfig(tx, input));
  }

  setMode(input: SubjectRef & { mode: Mode; force: boolean }): Promise<WriteOutcome<Mode>> {
    return this.serialize((tx) => setMode(tx, input));
  }

  deleteMode(input: SubjectRef): Promise<WriteOutcome<string>> {
    return this.serialize((tx) => deleteMode(tx, input));
  }
}
