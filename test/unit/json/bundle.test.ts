import { describe, expect, it } from 'vitest';
import { bundleReferences } from '../../../src/domain/json/bundle';

describe('bundleReferences', () => {
  it.each([
    [
      'an external ref becomes a $defs ref',
      { type: 'object', properties: { a: { $ref: 'address.json' } } },
      [['address.json', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { zip: { type: 'string' } } }]],
      {
        type: 'object',
        properties: { a: { $ref: '#/$defs/address' } },
        $defs: { address: { type: 'object', properties: { zip: { type: 'string' } } } },
      },
    ],
    [
      'fragments and local refs inside the referenced document are rebased',
      { $ref: 'lib.json#/definitions/id' },
      [['lib.json', { definitions: { id: { $ref: '#/definitions/uuid' }, uuid: { type: 'string' } } }]],
      {
        $ref: '#/$defs/lib/definitions/id',
        $defs: { lib: { definitions: { id: { $ref: '#/$defs/lib/definitions/uuid' }, uuid: { type: 'string' } } } },
      },
    ],
    [
      'existing $defs are kept and names do not collide',
      { $defs: { a: { type: 'integer' } }, properties: { x: { $ref: 'a.json' }, y: { $ref: '#/$defs/a' } } },
      [['a.json', { type: 'string' }]],
      { $defs: { a: { type: 'integer' }, a_2: { type: 'string' } }, properties: { x: { $ref: '#/$defs/a_2' }, y: { $ref: '#/$defs/a' } } },
    ],
    ['no references: unchanged', { type: 'string' }, [], { type: 'string' }],
  ])('%s', (_name, root, refs, expected) => {
    const input = structuredClone(root);
    expect(bundleReferences(root, new Map(refs as [string, unknown][]))).toEqual(expected);
    expect(root).toEqual(input);
  });
});
