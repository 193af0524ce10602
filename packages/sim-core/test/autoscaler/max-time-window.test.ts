import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MaxTimeWindow, MaxWindow } from '../../src/autoscaler/max-time-window.js';

// The cases of knative/serving pkg/autoscaler/aggregation/max/timewindow_test.go and window_test.go.
const S = 1_000;
const NOW = 1_700_000_000_400; // Go's time.Now(): not second-aligned

describe('MaxTimeWindow (timewindow_test.go TestTimedWindowMax)', () => {
  const cases: Array<{ name: string; values: Array<[number, number]>; expect: number }> = [
    { name: 'single value', values: [[NOW, 5]], expect: 5 },
    { name: 'two values in same second', values: [[NOW, 6], [NOW + 500, 5]], expect: 6 },
    { name: 'two values', values: [[NOW, 5], [NOW + S, 8]], expect: 8 },
    { name: 'time gap', values: [[NOW, 5], [NOW + 6 * S, 4]], expect: 4 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const m = new MaxTimeWindow(5 * S, S);
      for (const [t, v] of c.values) m.record(t, v);
      expect(m.current()).toBe(c.expect);
    });
  }
});

describe('MaxWindow (window_test.go TestWindowMax)', () => {
  const cases: Array<{ name: string; values: number[]; index?: (i: number) => number; expect: number[] }> = [
    { name: 'single value', values: [1], expect: [1] },
    { name: 'ascending values', values: [1, 2], expect: [1, 2] },
    { name: 'descending values', values: [2, 1], expect: [2, 2] },
    { name: 'up, down, up', values: [1, 2, 1], expect: [1, 2, 2] },
    { name: 'windowing out', values: [5, 6, 5, 5, 5, 5, 5], expect: [5, 6, 6, 6, 6, 6, 5] },
    { name: 'windowing out with gaps', values: [6, 5, 2, 1], index: (i) => (i >= 3 ? i + 3 : i), expect: [6, 6, 6, 2] },
    { name: 'windowing out 2', values: [5, 6, 5, 7, 5, 5, 1], expect: [5, 6, 6, 7, 7, 7, 7] },
    { name: 'windowing out 3', values: [5, 8, 5, 7, 5, 5], expect: [5, 8, 8, 8, 8, 8] },
    { name: 'windowing out 4', values: [5, 8, 5, 7, 5, 5, 1], expect: [5, 8, 8, 8, 8, 8, 7] },
    { name: 'windowing out 5', values: [5, 8, 5, 7, 5, 5, 1, 4, 4, 4], expect: [5, 8, 8, 8, 8, 8, 7, 7, 5, 5] },
    { name: 'windowing out 6', values: [5, 8, 5, 7, 5, 5, 1, 4, 4, 4, 4], expect: [5, 8, 8, 8, 8, 8, 7, 7, 5, 5, 4] },
    { name: 'windowing out 7', values: [5, 8, 5, 7, 5, 5, 1, 4, 4, 4, 4, 9], expect: [5, 8, 8, 8, 8, 8, 7, 7, 5, 5, 4, 9] },
    {
      name: 'windowing out 8',
      values: [5, 8, 5, 7, 5, 5, 1, 4, 4, 4, 4, 9, 3, 4, 2, 1, 0],
      expect: [5, 8, 8, 8, 8, 8, 7, 7, 5, 5, 4, 9, 9, 9, 9, 9, 4],
    },
    { name: 'multiple with same index, ascending', values: [1, 2, 3, 4, 5, 6, 7], index: () => 1, expect: [1, 2, 3, 4, 5, 6, 7] },
    { name: 'multiple with same index, descending', values: [7, 6, 5, 4, 3, 2, 1], index: () => 1, expect: [7, 7, 7, 7, 7, 7, 7] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const w = new MaxWindow(5);
      const index = c.index ?? ((i: number) => i);
      const current = c.values.map((v, i) => {
        w.record(index(i), v);
        return w.current();
      });
      expect(current).toEqual(c.expect);
    });
  }
});

describe('MaxWindow laws', () => {
  it('current() is the maximum of the values recorded at the last `size` indexes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.record({ step: fc.integer({ min: 0, max: 6 }), v: fc.integer({ min: 0, max: 1000 }) }), { minLength: 1, maxLength: 80 }),
        (size, steps) => {
          const w = new MaxWindow(size);
          let index = 0;
          const seen: Array<[number, number]> = [];
          for (const { step, v } of steps) {
            index += step;
            w.record(index, v);
            seen.push([index, v]);
            const live = seen.filter(([i]) => index - i < size).map(([, x]) => x);
            expect(w.current()).toBe(Math.max(...live));
          }
        },
      ),
    );
  });
});
