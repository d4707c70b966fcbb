import { describe, expect, it } from 'vitest';
import { ErrorCode, statusOf } from '../../src/domain/errors';

describe('statusOf', () => {
  it.each([
    [ErrorCode.SUBJECT_NOT_FOUND, 404],
    [ErrorCode.INCOMPATIBLE_SCHEMA, 409],
    [ErrorCode.INVALID_SCHEMA, 422],
    [ErrorCode.STORE_ERROR, 500],
    [ErrorCode.BAD_REQUEST, 400],
    [ErrorCode.RATE_LIMITED, 429],
    [ErrorCode.UNSUPPORTED_MEDIA_TYPE, 415],
  ])('code %i -> HTTP %i', (code, status) => {
    expect(statusOf(code)).toBe(status);
  });
});
