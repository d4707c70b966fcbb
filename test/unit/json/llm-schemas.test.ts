import { describe, expect, it } from 'vitest';
import { parseJsonSchema } from '../../../src/domain/json/parse';
import { compileValidator } from '../../../src/domain/json/validator/index';
import { ajvValidatorFor } from '../../../src/node/ajv-validator';
import { LLM_SCHEMAS } from '../../fixtures/llm-schemas/index';

describe('LLM schema corpus (bench fixtures) is correct on both engines', () => {
  it('has 8-12 schemas', () => {
    expect(LLM_SCHEMAS.length).toBeGreaterThanOrEqual(8);
    expect(LLM_SCHEMAS.length).toBeLessThanOrEqual(12);
  });

  it.each(LLM_SCHEMAS.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const parsed = parseJsonSchema(JSON.stringify(c.schema), []);
    for (const formats of ['annotate', 'assert'] as const) {
      const workers = formats === 'annotate' ? compileValidator(parsed) : compileValidator(parsed, { formats });
      const ajv = ajvValidatorFor(parsed, { formats });
      for (const v of c.valid) {
        expect(workers.validate(v)).toEqual({ valid: true, errors: [] });
        expect(ajv.validate(v).valid).toBe(true);
      }
      for (const v of c.invalid) {
        const r = workers.validate(v);
        expect(r.valid, JSON.stringify(v)).toBe(false);
        expect(r.errors.length).toBeGreaterThan(0);
        expect(ajv.validate(v).valid, JSON.stringify(v)).toBe(false);
      }
    }
  });
});
