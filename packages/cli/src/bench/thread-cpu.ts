import { readdirSync, readFileSync } from 'node:fs';

/** One thread's times so far: nanoseconds on a CPU, and waiting in the run queue for one. */
export interface ThreadTime {
  cpuNs: number;
  waitNs: number;
}

/**
 * The CPU time of every thread of this process, by thread id, from Linux's
 * /proc/self/task/<tid>/schedstat (time on a CPU, time runnable but waiting for one);
 * undefined where there is no such file (macOS, Windows). A thread that ends while it is read
 * is left out.
 */
export function threadTimes(): Map<string, ThreadTime> | undefined {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
    readFileSync(`/proc/self/task/${tids[0]}/schedstat`, 'utf8');
  } catch {
    return undefined;
  }
  const times = new Map<string, ThreadTime>();
  for (const tid of tids) {
    try {
      const [cpu, wait] = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number);
      times.set(tid, { cpuNs: cpu!, waitNs: wait! });
    } catch {
      // the thread ended
    }
  }
  return times;
}

/** Where a pass's CPU time went, in ms: the main thread, each pool thread, and the rest. */
export interface ThreadCpu {
  /** The main thread: the pool's dispatch, the messages, the results. */
  mainMs: number;
  /** Each thread of the pool (its runs), largest first. */
  poolMs: number[];
  /**
   * Every other thread of the process: V8's own (TurboFan compiling hot functions in the
   * background, the garbage collector's parallel and concurrent helpers) and libuv's.
   */
  backgroundMs: number;
  /** Time the process's threads were runnable but waited for a CPU: the machine's other load. */
  waitMs: number;
  /**
   * The shortest wall time this CPU time could take on `cores` idle cores: the busiest thread,
   * or all of it spread evenly, whichever is longer.
   */
  criticalPathMs: number;
}

/**
 * The CPU time spent between two readings of threadTimes(), by kind of thread: `mainTid` is the
 * main thread, `poolTids` the pool's threads (those that did not exist before it).
 */
export function threadCpu(before: Map<string, ThreadTime>, after: Map<string, ThreadTime>, mainTid: string, poolTids: ReadonlySet<string>, cores: number): ThreadCpu {
  let mainMs = 0;
  let backgroundMs = 0;
  let waitMs = 0;
  const poolMs: number[] = [];
  for (const [tid, t] of after) {
    const b = before.get(tid) ?? { cpuNs: 0, waitNs: 0 };
    const ms = (t.cpuNs - b.cpuNs) / 1e6;
    waitMs += (t.waitNs - b.waitNs) / 1e6;
    if (tid === mainTid) mainMs += ms;
    else if (poolTids.has(tid)) poolMs.push(ms);
    else backgroundMs += ms;
  }
  poolMs.sort((a, b) => b - a);
  const total = mainMs + backgroundMs + poolMs.reduce((a, x) => a + x, 0);
  return { mainMs, poolMs, backgroundMs, waitMs, criticalPathMs: Math.max(mainMs, poolMs[0] ?? 0, total / cores) };
}
