/** Subject and context names: the normal form of a reference's target (issue 13). */
import { describe, expect, it } from 'vitest';
import { referenceTarget } from '../../src/domain/naming';

// [context of the referring schema, subject as the reference writes it, target in normal form (null = another context)]
const cases: [string, string, string | null][] = [
  ['.', 'typ', 'typ'],
  ['.', ':.:typ', 'typ'],
  ['.', ':.t:typ', null],
  ['.t', 'typ', 'typ'],
  ['.t', ':.t:typ', 'typ'],
  ['.t', ':.:typ', null],
  ['.t', ':.u:typ', null],
  ['.t', ':.t:', ''],
  // Not a qualifier: no closing colon, so a plain name (as Confluent's QualifiedSubject reads it).
  ['.t', ':.t', ':.t'],
  ['.', 'a:b', 'a:b'],
];

describe('referenceTarget', () => {
  it.each(cases)('in %s, %s names %s', (context, written, target) => {
    expect(referenceTarget(context, written)).toBe(target);
  });
});
