import { describe, expect, it } from 'vitest';
import { PrecheckGate } from '../../src/services/precheck-gate';

/**
 * Each case: the pre-checks in order, `m` one that reads D1 and finds nothing, `a` one that reads
 * and answers; `reads`: what the gate said for each (1: read D1, 0: passed over). A passed-over
 * pre-check records nothing, so the script gives its outcome as `-`.
 */
const cases: { name: string; limits: { misses: number; probeEvery: number }; script: string; reads: string }[] = [
  { name: 'open while the misses are fewer than the limit', limits: { misses: 3, probeEvery: 4 }, script: 'mm', reads: '11' },
  { name: 'closed after the limit of misses: one in probeEvery reads', limits: { misses: 2, probeEvery: 3 }, script: 'mm--m--m', reads: '11001001' },
  { name: 'a probe that answers opens it again', limits: { misses: 2, probeEvery: 3 }, script: 'mm--amm--', reads: '110011100' },
  { name: 'an answer before the limit starts the count again', limits: { misses: 2, probeEvery: 3 }, script: 'mamm--m', reads: '1111001' },
  { name: 'probeEvery 1 never passes over', limits: { misses: 1, probeEvery: 1 }, script: 'mmmm', reads: '1111' },
  {
    name: 'the defaults: eight misses close it, then one in eight',
    limits: { misses: 8, probeEvery: 8 },
    script: 'mmmmmmmm-------m',
    reads: '1111111100000001',
  },
];

describe('PrecheckGate', () => {
  it.each(cases)('$name', ({ limits, script, reads }) => {
    const gate = new PrecheckGate(limits);
    const said = Array.from(script).map((step) => {
      const read = gate.reads();
      if (read) {
        expect(step, 'a pre-check that reads records an outcome').not.toBe('-');
        gate.found(step === 'a');
      }
      return read ? '1' : '0';
    });
    expect(said.join('')).toBe(reads);
  });

  it('the default gate is the table’s last case', () => {
    const gate = new PrecheckGate();
    for (let i = 0; i < 8; i++) {
      expect(gate.reads()).toBe(true);
      gate.found(false);
    }
    expect(Array.from({ length: 8 }, () => gate.reads())).toEqual([false, false, false, false, false, false, false, true]);
  });
});
