import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { KnsimTraceEvent } from '@knsim/sim-core';
import { toChromeTrace } from '@knsim/report';
import { UserError } from './errors.js';

/** Writes a file through a temporary one, so a failed run leaves nothing half written. */
export function writeAtomic(file: string, data: string | Uint8Array): string {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
  return file;
}

/** `--trace FILE`: the events as a Chrome trace (Perfetto opens it). */
export function writeChromeTrace(file: string, events: readonly KnsimTraceEvent[], meta: Record<string, string>): void {
  try {
    writeAtomic(resolve(file), JSON.stringify(toChromeTrace(events, meta)) + '\n');
  } catch (e) {
    throw new UserError(`--trace ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (e as Error).message}`);
  }
}
