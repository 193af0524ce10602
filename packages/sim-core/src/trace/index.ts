export { TraceBus, TraceRecorder, hashStrings, type TraceEventBase } from './bus.js';
export type { KnsimTraceEvent, KnsimTraceType, Hop } from './events.js';
