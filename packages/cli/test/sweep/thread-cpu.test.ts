import { describe, expect, it } from 'vitest';
import { threadCpu, threadTimes, type ThreadTime } from '../../src/bench/thread-cpu.js';

// Issue 18, `knsim bench sweep`: where a pass's CPU time went, thread by thread, and the
// critical path that bounds the speedup on idle cores.
const times = (ms: Record<string, number>, waitMs = 0) => new Map<string, ThreadTime>(Object.entries(ms).map(([tid, x]) => [tid, { cpuNs: x * 1e6, waitNs: waitMs * 1e6 }]));

describe('threadCpu', () => {
  it("splits a pass's CPU time into the main thread, each pool thread and V8's background threads", () => {
    const before = times({ 1: 100, 2: 50, 7: 10, 8: 20 });
    const after = times({ 1: 110, 2: 250, 7: 30, 8: 420 }, 5);
    const c = threadCpu(before, after, '1', new Set(['8', '7']), 2);
    expect(c).toEqual({ mainMs: 10, poolMs: [400, 20], backgroundMs: 200, waitMs: 20, criticalPathMs: 400 });
  });

  it('one pool thread whose runs leave V8 compiling as much on the other core: two cores are already busy, so a second thread cannot halve the critical path', () => {
    // The measured shape of a cold life-of-a-request pass (docs/sweeps.md): a pool thread and
    // V8's background compiler each about 410 ms.
    const one = threadCpu(times({ 1: 0, 2: 0, 9: 0 }), times({ 1: 15, 2: 410, 9: 419 }), '1', new Set(['9']), 2);
    const two = threadCpu(times({ 1: 0, 2: 0, 9: 0, 10: 0 }), times({ 1: 11, 2: 411, 9: 261, 10: 244 }), '1', new Set(['9', '10']), 2);
    expect(one.criticalPathMs).toBeCloseTo((15 + 410 + 419) / 2);
    expect(two.criticalPathMs).toBeCloseTo((11 + 411 + 261 + 244) / 2);
    expect(one.criticalPathMs / two.criticalPathMs).toBeLessThan(1);
  });

  it('a thread that started during the pass counts from zero; a thread that ended is left out', () => {
    const c = threadCpu(times({ 1: 5, 3: 40 }), times({ 1: 5, 4: 30 }), '1', new Set(['4']), 2);
    expect(c.poolMs).toEqual([30]);
    expect(c.backgroundMs).toBe(0);
  });

  it('the critical path is never less than the busiest pool thread nor the whole spread over the cores', () => {
    for (const cores of [1, 2, 4]) {
      const c = threadCpu(times({ 1: 0, 2: 0, 3: 0, 4: 0 }), times({ 1: 3, 2: 20, 3: 90, 4: 60 }), '1', new Set(['3', '4']), cores);
      expect(c.criticalPathMs).toBeGreaterThanOrEqual(90);
      expect(c.criticalPathMs).toBeGreaterThanOrEqual((3 + 20 + 90 + 60) / cores);
    }
  });

  it.runIf(process.platform === 'linux')("reads this process's threads on Linux, the main thread among them", () => {
    const t = threadTimes()!;
    expect(t.get(String(process.pid))!.cpuNs).toBeGreaterThan(0);
  });
});
