import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `s` to the descriptor now. The simulation runs without returning to the event
 * loop, so process.stdout.write would queue a large output in memory until the end; a pipe
 * whose reader is slower answers EAGAIN, and we wait for it (1 ms at a time) instead. When the
 * reader has gone away (`| head`), the process stops quietly with `epipeExit`.
 */
export function writeAllSync(fd: number, s: string, epipeExit: number): void {
  const buf = Buffer.from(s);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(epipeExit);
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
