import { describe, expect, it } from 'vitest';
import { PrecheckGate } from '../../src/services/precheck-gate';

/**
 * Each case: the pre-checks in order, `m` one that reads D1 and finds nothing, `a` one that reads
 * and answers; `reads`: what the gate said for each (1: read D1, 0: passed over). A passed-over
 * pre-check records nothing, so the script gives its outcome as `-`, or `w` when the writer then
 * answered the registration as already registered.
 */
const cases: { name: string; limits: { misses: number; probeEvery: number }; script: string; reads: string }[] = [
  { name: 'open while the misses are fewer than the limit', limits: { misses: 3, probeEvery: 4 }, script: 'mm', reads: '11' },
  { name: 'closed after the limit of misses: one in probeEvery reads', limits: { misses: 2, probeEvery: 3 }, script: 'mm--m--m', reads: '11001001' },
  { name: 'a probe that answers opens it again', limits: { misses: 2, probeEvery: 3 }, script: 'mm--amm--', reads: '110011100' },
  { name: 'an answer before the limit starts the count again', limits: { misses: 2, probeEvery: 3 }, script: 'mamm--m', reads: '1111001' },
  { name: 'probeEvery 1 never passes over', limits: { misses: 1, probeEvery: 1 }, script: 'mmmm', reads: '1111' },
  { name: 'the writer answering one as already registered opens it', limits: { misses: 2, probeEvery: 4 }, script: 'mm-wmm-', reads: '1100110' },
  { name: 'a writer answer also restarts the probe count', limits: { misses: 1, probeEvery: 3 }, script: 'm-wm--m', reads: '1001001' },
  {
    name: 'the defaults: eight misses close it, then one in sixty-four',
    limits: { misses: 8, probeEvery: 64 },
    script: 'm'.repeat(8) + '-'.repeat(63) + 'm' + '-'.repeat(63) + 'a' + 'm',
    reads: '1'.repeat(8) + '0'.repeat(63) + '1' + '0'.repeat(63) + '1' + '1',
  },
];

describe('PrecheckGate', () => {
  it.each(cases)('$name', ({ limits, script, reads }) => {
    const gate = new PrecheckGate(limits);
    const said = Array.from(script).map((step) => {
      const read = gate.reads();
      if (read) {
        expect(step, 'a pre-check that reads records an outcome').toMatch(/^[ma]$/);
        gate.found(step === 'a');
      } else {
        expect(step, 'a passed-over pre-check records nothing').toMatch(/^[-w]$/);
        if (step === 'w') gate.answered();
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
    const passed = Array.from({ length: 64 }, () => gate.reads());
    expect(passed.slice(0, 63).every((read) => !read)).toBe(true);
    expect(passed[63]).toBe(true);
  });
});
