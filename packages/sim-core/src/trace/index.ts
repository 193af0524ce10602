export { TraceBus, TraceRecorder, hashStrings, type TraceEventBase } from './bus.js';
