/**
 * What handlers tell the metrics about their request (c.get('metrics')), read by http/metrics.ts once
 * the request is answered: the layer its cached reads reached, a registration, a validation.
 */
import { ReadTrace } from '../services/read-layer';

interface RegistrationNote {
  format: string;
  compatibility: string;
  /** Answered without the writer: the subject already held the schema. */
  existing: boolean;
}

interface ValidationNote {
  /** The qualified subject validated against; '' when the request named a schema id. */
  subject: string;
  /** What the body held: json, ndjson or text (model output). */
  body: string;
  documents: number;
  invalid: number;
}

export class RequestMetrics {
  /** The request's cached reads (the read path notes each one): the `layer` blob. */
  readonly reads = new ReadTrace();
  registration: RegistrationNote | undefined;
  validation: ValidationNote | undefined;

  noteRegistration(fields: Partial<RegistrationNote>): void {
    this.registration = { format: '', compatibility: '', existing: false, ...this.registration, ...fields };
  }

  noteValidation(note: ValidationNote): void {
    this.validation = note;
  }
}
