import { closeSync, openSync, readSync } from 'node:fs';

/**
 * The most knsim reads of one file (manifest, scenario, trace): 256 MiB, more than a day of the
 * Azure Functions trace (about 150 MB a file). A file past it, or a device without end such as
 * /dev/zero, is refused after that many bytes instead of filling memory.
 */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** The most knsim reads of a manifest given with -f: 32 MiB (the API server takes 3 MiB per object). */
export const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;

/** A file knsim cannot read: its message names the file and says why, in one line. */
export class FileReadError extends Error {
  override name = 'FileReadError';
}

/**
 * Reads a text file, at most `limit` bytes, in chunks (so a character device or a FIFO works
 * and ends). ENOENT and EISDIR read as words; anything else as Node's message.
 */
export function readTextFile(file: string, limit = MAX_FILE_BYTES): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new FileReadError(`${file}: ${describe(e)}`);
  }
  try {
    return readTextFd(fd, file, limit);
  } finally {
    closeSync(fd);
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Reads an open descriptor to its end, at most `limit` bytes (`-f -` reads standard input this
 * way: it may be a pipe or a socket, which cannot be opened again by name). `name` is for errors.
 */
export function readTextFd(fd: number, name: string, limit = MAX_FILE_BYTES): string {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.min(1 << 20, limit + 1 - total));
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      // A non-blocking pipe with nothing in it yet: wait a millisecond and read again.
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      throw new FileReadError(`${name}: ${describe(e)}`);
    }
    if (n === 0) break;
    chunks.push(n === buf.length ? buf : buf.subarray(0, n));
    total += n;
    if (total > limit) throw new FileReadError(`${name}: larger than ${limit / (1024 * 1024)} MiB, the most knsim reads of one file (see docs/limits.md)`);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

function describe(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return (e as Error).message;
}
