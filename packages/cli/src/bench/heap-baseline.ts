/**
 * The baseline the kernel is measured against: a plain binary heap of (time, seq) numbers,
 * pushed and popped in the same pattern as an M/M/c run (each pop schedules follow-ups), with
 * no processes, callbacks or objects. The kernel's events per second are reported as a ratio
 * of this loop's, measured in the same run, because absolute figures on shared machines drift.
 */
export function heapBaseline(events: number, pendingTarget = 24, seed = 1): { events: number; checksum: number } {
  let cap = 1024;
  let times = new Float64Array(cap);
  let seqs = new Float64Array(cap);
  let n = 0;
  let seq = 0;
  let x = seed >>> 0;
  const rand = () => {
    x = (x + 0x6d2b79f5) | 0;
    let t = Math.imul(x ^ (x >>> 15), x | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const push = (time: number) => {
    if (n === cap) {
      cap *= 2;
      const t2 = new Float64Array(cap);
      t2.set(times);
      const s2 = new Float64Array(cap);
      s2.set(seqs);
      times = t2;
      seqs = s2;
    }
    const s = seq++;
    let i = n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (times[p]! < time || (times[p] === time && seqs[p]! < s)) break;
      times[i] = times[p]!;
      seqs[i] = seqs[p]!;
      i = p;
    }
    times[i] = time;
    seqs[i] = s;
  };
  const pop = (): number => {
    const top = times[0]!;
    const last = --n;
    if (last > 0) {
      const time = times[last]!;
      const s = seqs[last]!;
      let i = 0;
      const half = last >> 1;
      while (i < half) {
        let c = 2 * i + 1;
        const r = c + 1;
        if (r < last && (times[r]! < times[c]! || (times[r] === times[c] && seqs[r]! < seqs[c]!))) c = r;
        if (time < times[c]! || (time === times[c] && s < seqs[c]!)) break;
        times[i] = times[c]!;
        seqs[i] = seqs[c]!;
        i = c;
      }
      times[i] = time;
      seqs[i] = s;
    }
    return top;
  };
  let now = 0;
  let checksum = 0;
  for (let i = 0; i < pendingTarget; i++) push(rand());
  for (let k = 0; k < events; k++) {
    now = pop();
    checksum += now;
    push(now + -Math.log(1 - rand()));
  }
  return { events, checksum };
}
