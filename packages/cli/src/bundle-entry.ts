// The entry of the CLI's bundle (scripts/bundle.mjs, run by bin/knsim.js through compile-cache.ts):
// the command line, and a sweep thread's handler for dist/bundle/sweep-thread.js, initialised only
// when a thread asks for it.
export { main } from './main.js';
export const sweepThread = (): Promise<typeof import('./sweep/thread.js')> => import('./sweep/thread.js');
