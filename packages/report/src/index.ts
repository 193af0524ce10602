export { latencySummary, countBy, sortedRecord, type LatencySummary } from './stats.js';
