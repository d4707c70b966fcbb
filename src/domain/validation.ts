/**
 * The one validator contract for payload validation (/v1/validate, the service binding).
 * Engines: a no-code-generation engine on Workers, ajv in Node tooling. Paths are JSON Pointers.
 */
export interface ValidationError {
  /** JSON Pointer into the instance, "" for the root. */
  instancePath: string;
  /** JSON Pointer into the schema, to the failing keyword, e.g. "#/properties/a/type". */
  schemaPath: string;
  keyword: string;
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: ValidationError[];
}

export interface Validator {
  validate(instance: unknown): ValidationResult;
}
